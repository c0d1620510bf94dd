import { chromium, expect, test, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { login, shanghaiDate } from './helpers';
import { ensureServiceWorker, fieldLogin, freePort, lockNow, networkBack, OwnServer, passLock, passLockOnLoad, planVisit, tabletOptions, unlockWithPin } from './field-helpers';

/**
 * What the field app says about the network and the sync must be true (issue 13): "online" only
 * when the server answers (bug 7), one visit's many taps counted as one visit (the sync bar), and
 * each visit saying whether it is waiting or synced at what time — also after the sync (bug 4).
 * The server is stopped for real (connection refused), so this test runs its own.
 */
const DATA_DIR = '.tmp/e2e-field-truth';

test('online means the server answers; a visit\'s taps count as one visit; a synced visit says synced at HH:MM', async () => {
	test.setTimeout(180_000);
	const server = new OwnServer(await freePort(), DATA_DIR);
	const profile = mkdtempSync(path.join(os.tmpdir(), 'doorstep-truth-'));
	let tablet: BrowserContext | undefined;
	try {
		await server.start(false);
		const today = shanghaiDate(0);
		const visit = await planVisit(server.baseURL, DATA_DIR, { date: today, start: '18:00', end: '19:00', lead: 'staff1', second: 'staff2', tag: '真话老人' });
		tablet = await chromium.launchPersistentContext(profile, tabletOptions(server.baseURL));
		const page = tablet.pages()[0] ?? (await tablet.newPage());
		passLockOnLoad(page);
		await fieldLogin(page, 'staff1');
		await ensureServiceWorker(page);
		const bar = page.getByRole('region', { name: '同步状态' });
		await expect(page.getByTestId('connection')).toHaveText('在线');

		// Bug 7: the server goes away; a deep link is reloaded from the service worker. The
		// browser still says it is online, but the bar must not.
		await server.stop();
		await page.goto(`/field/visits/${visit.visitId}`);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);
		await expect(bar).toContainText('无法连接服务器', { timeout: 20_000 });
		await expect(page.getByTestId('connection')).toHaveText('连不上服务器');
		await expect(bar).not.toContainText('在线');

		// Several taps on one visit (set out, check in, every checklist item): one visit waits.
		await page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name: '1. 出发与到达' }).click();
		await page.getByRole('button', { name: '出发', exact: true }).click();
		await page.getByRole('button', { name: '到达签到（记录位置）' }).click();
		await expect(page.getByText(/已于 .* 到达/)).toBeVisible();
		await page.getByRole('button', { name: '下一步' }).click();
		const items = page.locator('section.step fieldset input[type=checkbox]');
		await expect(items.first()).toBeVisible();
		for (let i = 0; i < (await items.count()); i++) await items.nth(i).check();
		await expect(page.getByTestId('pending')).toHaveText('待同步：1 次上门');
		await expect(page.locator('.title').getByTestId('visit-sync')).toHaveText('待同步');
		await page.goto(`/field?date=${today}`);
		const card = page.locator('article.visit', { hasText: visit.residentName });
		await expect(card.getByTestId('visit-sync')).toHaveText('待同步');

		// Bug 4: the server is back and everything syncs: the day list and the visit follow.
		await server.start(true);
		await networkBack(tablet);
		await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 60_000 });
		await expect(page.getByTestId('connection')).toHaveText('在线');
		await expect(card.getByTestId('visit-sync')).toHaveText(/^已同步 \d\d:\d\d$/, { timeout: 30_000 });
		await expect(card).not.toContainText('待同步');
		await card.getByRole('link').click();
		await expect(page.locator('.title').getByTestId('visit-sync')).toHaveText(/^已同步 \d\d:\d\d$/);
	} finally {
		// Closed here, also after a failure, so the profile can go and the failure is what is reported.
		await tablet?.close().catch(() => undefined);
		await server.stop();
		rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // Chromium may still be writing as it exits
	}
});

/**
 * Issue 13: a full reload (also "重新加载" for an update) within the idle window does not ask for
 * the PIN again; a lock, the end of the window, or another tab does. No passLockOnLoad here:
 * the test itself must see whether the lock screen comes.
 */
test('a reload within the idle window stays unlocked; after a lock, past the window or in a new tab the PIN is asked', async ({ page, context }) => {
	test.setTimeout(120_000);
	await login(page, 'staff1');
	await expect(page).toHaveURL(/\/field/);
	await passLock(page);
	const main = page.locator('main[data-session]');
	await expect(main).toHaveAttribute('data-session', 'ready');
	await expect(page.getByTestId('pending')).toContainText('待同步');

	await page.reload();
	await expect(main).not.toHaveAttribute('data-session', 'starting', { timeout: 15_000 });
	await expect(main).toHaveAttribute('data-session', 'ready');
	await expect(page.getByTestId('device-lock')).toHaveCount(0);
	// The data opened again: the day's list reads the sealed store.
	await expect(page.getByTestId('pending')).toContainText('待同步');
	// What the tab keeps is a wrapping, with an expiry: never the key itself.
	const kept = await page.evaluate(() => Object.entries(sessionStorage).filter(([k]) => k.startsWith('doorstep.resume.')).map(([, v]) => JSON.parse(v) as Record<string, unknown>));
	expect(kept).toHaveLength(1);
	expect(Object.keys(kept[0]).sort()).toEqual(['expiresAt', 'iv', 'wrapped']);

	// A second reload works too (each pair opens once and is replaced).
	await page.reload();
	await expect(main).toHaveAttribute('data-session', 'ready', { timeout: 15_000 });

	// Another tab of the same browser: no session half there, the PIN is asked.
	const other = await context.newPage();
	await other.goto('/field');
	await expect(other.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked', { timeout: 15_000 });
	await other.close();

	// Past the idle window (the expiry moved into the past, as time would): locked.
	await page.evaluate(() => {
		for (const k of Object.keys(sessionStorage).filter((k) => k.startsWith('doorstep.resume.'))) sessionStorage.setItem(k, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(k)!), expiresAt: Date.now() - 1 }));
	});
	await page.reload();
	await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked', { timeout: 15_000 });
	await unlockWithPin(page);

	// Locked by hand: a reload stays locked, and nothing is left to open.
	await lockNow(page);
	expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('doorstep.resume.')))).toEqual([]);
	await page.reload();
	await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked', { timeout: 15_000 });
});
