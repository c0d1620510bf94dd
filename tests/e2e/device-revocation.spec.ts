import { expect, test } from '@playwright/test';
import { expectAccessible, login, shanghaiDate } from './helpers';
import { databaseNames, ensureServiceWorker, fieldLogin, openVisitFromDayList, pendingCount, planVisit, tabletOptions, userId, withDb, workVisit } from './field-helpers';
import { PIN_RESET_PHOTOS } from './photo-helpers';

/**
 * Revocation and wipe (docs/sync-protocol.md § Revocation), in real Chromium against the real
 * server: the team works a visit offline (records, signature, photos); meanwhile the admin
 * revokes the tablet; when the tablet is back online it hands everything over FIRST (the server
 * has the completed visit and every photo), THEN deletes the user's IndexedDB database and tile
 * caches, reports the wipe, signs out and says why.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation', 'camera'], geolocation });

test('a tablet revoked while offline hands over its unsynced visit and photos, then wipes itself and says why', async ({ page, context, browser, baseURL }) => {
	test.setTimeout(180_000);
	const date = shanghaiDate(2);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '10:00', end: '11:00', lead: 'staff1', second: 'staff2', tag: '撤销老人' });
	const staff1 = userId(DATA_DIR, 'staff1');

	// 1. Online: staff1 signs in on the tablet; the device registers; the visit arrives.
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await openVisitFromDayList(page, date, visit.residentName);
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项');
	// The id this tablet registered (other suites' tablets of staff1 may exist on this server).
	const deviceId = await page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const r = indexedDB.open(name);
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
		const row = await new Promise<{ deviceId: string | null } | undefined>((resolve, reject) => {
			const r = db.transaction('syncState').objectStore('syncState').get('sync');
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
		db.close();
		return row?.deviceId ?? null;
	}, `doorstep-field-${staff1}`);
	expect(deviceId).toBeTruthy();
	expect(withDb(DATA_DIR, (db) => db.prepare('select user_id from devices where id = ? and revoked_at is null').get(deviceId))).toEqual({ user_id: staff1 });
	expect(await databaseNames(page)).toContain(`doorstep-field-${staff1}`);

	// 2. Offline, the team works the whole visit, photos and signature included.
	await context.setOffline(true);
	await workVisit(page, { lead: '王晓东', second: '李婷' });
	await expect.poll(() => pendingCount(page)).toBeGreaterThan(0);
	expect(withDb(DATA_DIR, (db) => (db.prepare('select status from visits where id = ?').get(visit.visitId) as { status: string }).status)).toBe('scheduled');
	expect(withDb(DATA_DIR, (db) => (db.prepare('select count(*) as n from photos where visit_id = ?').get(visit.visitId) as { n: number }).n)).toBe(0);

	// 3. Meanwhile the admin revokes the tablet on 外勤设备.
	const office = await browser.newContext({ baseURL });
	const admin = await office.newPage();
	await login(admin, 'admin');
	await admin.goto(`/admin/devices?user=${staff1}`);
	const row = admin.locator(`tr[data-device="${deviceId}"]`);
	await row.getByRole('button', { name: /撤销设备/ }).click();
	// Revoking wipes the tablet: the page asks first (issue 13).
	await row.getByRole('button', { name: '确认撤销' }).click();
	await expect(admin.getByText('设备已撤销')).toBeVisible();
	await expect(row.getByRole('button', { name: /撤销设备/ }), 'a revoked tablet has no revoke button').toHaveCount(0);
	expect(withDb(DATA_DIR, (db) => (db.prepare('select revoked_at from devices where id = ?').get(deviceId) as { revoked_at: string | null }).revoked_at)).not.toBeNull();

	// 4. The tablet is back online: hand-over, then wipe, then the explanation.
	await context.setOffline(false);
	const wiped = page.getByTestId('device-wiped');
	await expect(wiped).toBeVisible({ timeout: 60_000 });
	await expect(wiped).toContainText('此平板已被管理员停用，本机数据已清除');

	// Everything reached the server before the wipe (the tablet can send nothing afterwards).
	withDb(DATA_DIR, (db) => {
		const v = db.prepare('select status, outcome, outcome_note from visits where id = ?').get(visit.visitId) as { status: string; outcome: string; outcome_note: string };
		expect(v).toEqual({ status: 'visited', outcome: 'completed', outcome_note: '客户已重置密码，一切顺利' });
		const kinds = (db.prepare('select kind from photos where visit_id = ? order by kind').all(visit.visitId) as { kind: string }[]).map((p) => p.kind);
		expect(kinds).toEqual(PIN_RESET_PHOTOS.map(([k]) => k).sort());
		const audit = db.prepare(`select details from audit_log where action = 'device_wiped' and entity_id = ?`).all(deviceId) as { details: string }[];
		expect(audit).toHaveLength(1);
		expect(JSON.parse(audit[0].details)).toMatchObject({ unsyncedMutations: 0, unsyncedPhotos: 0 });
	});

	// The user's database and the tile caches are gone; the session too.
	await expect.poll(() => databaseNames(page)).not.toContain(`doorstep-field-${staff1}`);
	expect(await page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('doorstep-tiles')))).toEqual([]);
	expect((await page.request.get('/api/me')).status()).toBe(401);

	// Admin sees the wipe; a reload of the tablet still says why (and re-creates no database).
	await admin.reload();
	await expect(admin.locator('.badge', { hasText: '已清除' }).first()).toBeVisible();
	await page.goto('/field');
	await expect(page.getByTestId('device-wiped')).toContainText('此平板已被管理员停用');
	await expect(page.getByRole('link', { name: '重新登录' })).toHaveAttribute('href', '/login?next=/field');
	await expectAccessible(page);
	expect(await databaseNames(page)).not.toContain(`doorstep-field-${staff1}`);
	await office.close();
});
