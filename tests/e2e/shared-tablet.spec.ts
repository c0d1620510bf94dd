import { expect, test, type Page } from '@playwright/test';
import { logout, serverDb, shanghaiDate } from './helpers';
import { databaseNames, fieldLogin, pendingCount, planVisit, userId } from './field-helpers';

/**
 * One tablet, several users. Each user's visits live in their own IndexedDB database; signing
 * out deletes it when nothing is unsynced, so the next user finds nothing of the previous one.
 * With unsynced work the user is warned; if they sign out anyway the database stays (closed) for
 * their next sign-in, and the next user's pages still show none of it.
 *
 * The visits are staff1's with staff3 (张伟), so staff2 (李婷), user B, is never on them.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
// The subject is what each user's pages and IndexedDB hold, not the service worker (offline.spec.ts
// covers it): without it, B's deep link to A's visit is served by the server's own shell.
test.use({ serviceWorkers: 'block' });
const dbOf = (username: string) => `doorstep-field-${userId(DATA_DIR, username)}`;

async function openDay(page: Page, date: string) {
	await page.goto(`/field?date=${date}`);
	// Wait for a completed sync, so what the page shows is what the tablet holds for this user.
	await expect(page.getByRole('region', { name: '同步状态' })).toContainText('上次同步');
}

/** What user B can reach of A's visit through the field app's pages. */
async function expectNothingOfA(page: Page, a: { visitId: string; residentName: string; date: string; ref: string }) {
	await openDay(page, a.date);
	await expect(page.locator('h1')).toContainText('的上门任务');
	await expect(page.locator('main')).not.toContainText(a.residentName);
	await expect(page.locator('main')).not.toContainText(a.ref);
	await page.goto(`/field/visits/${a.visitId}`);
	await expect(page.getByRole('heading', { name: '本平板上没有这项上门任务。' })).toBeVisible();
	await expect(page.locator('main')).not.toContainText(a.residentName);
}

test('after A signs out with everything synced, B finds nothing of A on the tablet', async ({ page, baseURL }) => {
	test.setTimeout(90_000);
	const a = await planVisit(baseURL!, DATA_DIR, { date: shanghaiDate(9), start: '18:30', end: '19:30', lead: 'staff1', second: 'staff3', tag: '共享甲' });

	// A signs in; the visit arrives and is stored in A's own database.
	await fieldLogin(page, 'staff1');
	await openDay(page, a.date);
	await expect(page.locator('article.visit', { hasText: a.residentName })).toContainText('18:30–19:30');
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项');
	expect(await databaseNames(page)).toContain(dbOf('staff1'));

	// A signs out: no warning (nothing unsynced); A's database is deleted, the user forgotten.
	await logout(page);
	expect(await databaseNames(page)).not.toContain(dbOf('staff1'));
	expect(await page.evaluate(() => localStorage.getItem('doorstep.fieldUser'))).toBeNull();

	// B signs in on the same browser profile.
	await fieldLogin(page, 'staff2');
	await expect(page.locator('header')).toContainText('李婷');
	await expectNothingOfA(page, a);
	const names = await databaseNames(page);
	expect(names).toContain(dbOf('staff2'));
	expect(names.filter((n) => n.startsWith('doorstep-field-') && n !== dbOf('staff2'))).toEqual([]);
	await logout(page);
});

test('A is warned about unsynced work at sign-out; if A signs out anyway, B still sees none of it and A gets it back', async ({ page, baseURL }) => {
	test.setTimeout(90_000);
	const a = await planVisit(baseURL!, DATA_DIR, { date: shanghaiDate(10), start: '18:30', end: '19:30', lead: 'staff1', second: 'staff3', tag: '共享乙' });

	await fieldLogin(page, 'staff1');
	await openDay(page, a.date);
	await page.locator('article.visit', { hasText: a.residentName }).getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(a.residentName);

	// The sync endpoints fail (the rest of the site works): A's "出发" stays on the tablet.
	await page.context().route('**/api/sync/**', (route) => route.abort('connectionrefused'));
	await page.getByRole('button', { name: '出发', exact: true }).click();
	await expect(page.getByText(/已于 .* 出发/)).toBeVisible();
	await expect.poll(() => pendingCount(page)).toBe(1);

	// Sign-out warns; "取消" keeps A signed in; "仍然退出" signs out and keeps the work.
	await page.getByRole('button', { name: '退出登录' }).click();
	const warning = page.getByRole('alertdialog');
	await expect(warning).toContainText('本平板上还有 1 项更改尚未同步');
	await warning.getByRole('button', { name: '取消' }).click();
	await expect(warning).toHaveCount(0);
	await expect(page).toHaveURL(/\/field\/visits\//);
	await page.getByRole('button', { name: '退出登录' }).click();
	await Promise.all([page.waitForURL('**/login'), warning.getByRole('button', { name: '仍然退出' }).click()]);
	await page.context().unroute('**/api/sync/**');
	// A's database stays on the tablet (closed) until A signs in again; A is no longer remembered.
	expect(await databaseNames(page)).toContain(dbOf('staff1'));
	expect(await page.evaluate(() => localStorage.getItem('doorstep.fieldUser'))).toBeNull();

	// B signs in: the pages open only B's database. What B can see: A's database NAME (an opaque
	// user id) in indexedDB.databases(), nothing of its content through the app.
	await fieldLogin(page, 'staff2');
	await expect(page.locator('header')).toContainText('李婷');
	await expectNothingOfA(page, a);
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项');
	const names = await databaseNames(page);
	expect(names).toContain(dbOf('staff2'));
	expect(names).toContain(dbOf('staff1'));
	await logout(page); // B had nothing unsynced: B's database goes
	expect(await databaseNames(page)).not.toContain(dbOf('staff2'));

	// A signs in again: the kept work is still there and now syncs.
	await fieldLogin(page, 'staff1');
	await page.goto(`/field/visits/${a.visitId}`);
	await expect(page.getByText(/已于 .* 出发/)).toBeVisible();
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 20_000 });
	const db = serverDb();
	try {
		const p = db.prepare('select travel_started_at, updated_by from visit_progress where visit_id = ?').get(a.visitId) as { travel_started_at: string; updated_by: string };
		expect(p.travel_started_at).toBeTruthy();
		expect(p.updated_by).toBe(userId(DATA_DIR, 'staff1'));
	} finally {
		db.close();
	}
	await logout(page);
	expect(await databaseNames(page)).not.toContain(dbOf('staff1'));
});
