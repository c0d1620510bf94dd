import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { login, shanghaiDate } from './helpers';
import { ensureServiceWorker, fieldLogin, freePort, networkBack, OwnServer, passLockOnLoad, pendingCount, planVisit, tabletOptions, userId, withDb, workVisit } from './field-helpers';

/**
 * The offline field app's main promise, in real Chromium against the real server: a visit that
 * reached the tablet can be worked through completely while the server cannot be reached —
 * opened at a deep link from the service worker and IndexedDB, kept across a browser restart —
 * and, once the server is back, it syncs by itself and the outlet head sees the result.
 *
 * The network is cut at the SERVER (the process is killed: connection refused), so this test
 * runs its own server (the config's webServer cannot be stopped mid-test).
 */
const DATA_DIR = '.tmp/e2e-offline';

test('a visit completed offline survives a browser restart and syncs when the server is back', async ({ browser }) => {
	test.setTimeout(120_000);
	const server = new OwnServer(await freePort(), DATA_DIR);
	const profile = mkdtempSync(path.join(os.tmpdir(), 'doorstep-tablet-'));
	try {
		await server.start(false);
		const today = shanghaiDate(0);
		const visit = await planVisit(server.baseURL, DATA_DIR, { date: today, start: '18:30', end: '19:30', lead: 'staff1', second: 'staff2', tag: '离线老人' });

		// 1. Online: staff1 signs in on the tablet; the service worker takes over; the visit arrives.
		let tablet = await chromium.launchPersistentContext(profile, tabletOptions(server.baseURL));
		let page = tablet.pages()[0] ?? (await tablet.newPage());
		await fieldLogin(page, 'staff1');
		await ensureServiceWorker(page);
		await page.goto(`/field?date=${today}`);
		await expect(page.locator('article.visit', { hasText: visit.residentName })).toContainText('18:30–19:30');
		await expect(page.getByTestId('pending')).toHaveText('待同步 0 项');

		// 2. The server goes away. The app is reloaded at a deep link: service worker + IndexedDB.
		await server.stop();
		await page.goto(`/field/visits/${visit.visitId}`);
		// (The prerendered shell must load its code from /_app/…, not relative to the deep URL.)
		await expect(page.getByRole('heading', { level: 1 }), 'the deep link opens from the service worker and IndexedDB').toContainText(visit.residentName);
		await expect(page.getByRole('region', { name: '同步状态' })).toContainText('无法连接服务器', { timeout: 15_000 });

		// 3. The team works the whole visit offline.
		await workVisit(page, { lead: '王晓东', second: '李婷' });
		await expect.poll(() => pendingCount(page)).toBeGreaterThan(0);
		// The engine tried and failed (no server): the error shows, the work is kept.
		await expect(page.getByRole('region', { name: '同步状态' })).toContainText('无法连接服务器');
		const pendingBefore = await pendingCount(page);

		// 4. The browser is closed and opened again on the same profile (still no server).
		await tablet.close();
		tablet = await chromium.launchPersistentContext(profile, tabletOptions(server.baseURL));
		page = tablet.pages()[0] ?? (await tablet.newPage());
		passLockOnLoad(page); // the app opens locked: the PIN, offline
		await page.goto(`/field/visits/${visit.visitId}`);
		await expect(page.getByText(/上门已完成：已完成/)).toBeVisible();
		await expect.poll(() => pendingCount(page)).toBe(pendingBefore);
		expect(pendingBefore).toBeGreaterThan(0);

		// 5. The server is back (same port, same data); the tablet's network comes back: it syncs
		// by itself (the browser's online event), nobody taps "立即同步".
		await server.start(true);
		await networkBack(tablet);
		// The photo goes after the records, with the upload queue's back-off: under two CPU hogs it
		// took longer than 20 s (the same wait as field-truth.spec.ts).
		await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 60_000 });
		await expect(page.getByRole('region', { name: '同步状态' })).toContainText('上次同步');
		// Issue 13, bug 4: the completed visit says when it synced, not that it waits.
		await expect(page.locator('.step').getByTestId('visit-sync')).toHaveText(/^已同步 \d\d:\d\d$/, { timeout: 30_000 });
		await expect(page.locator('main')).not.toContainText('联网后自动同步');
		await expect(page.getByRole('link', { name: /项需处理/ })).toHaveCount(0);
		await tablet.close();

		// 6. The outlet head sees the completed visit with its record.
		const office = await browser.newContext({ baseURL: server.baseURL });
		const head = await office.newPage();
		await login(head, 'head1');
		await head.goto(`/approvals/${visit.requestId}`);
		await expect(head.locator('main .badge').first()).toHaveText('已完成');
		const timeline = head.getByRole('list', { name: '办理记录' });
		// One line for the tablet's sync, saying what changed (issue 13), the outcome included.
		await expect(timeline.locator('li[data-action=sync_group]')).toContainText('外勤平板同步了上门进展');
		await expect(timeline.locator('li[data-action=sync_group]')).toContainText('上门结果：已完成');
		// The visit's record: check-in, outcome and the resident's signature as drawn on the tablet.
		const evidence = head.getByTestId('visit-evidence');
		await expect(evidence).toContainText('客户已重置密码');
		await expect(evidence).toContainText('30.15712, 120.25785');
		const signature = evidence.getByRole('img', { name: /的签名/ });
		await expect(signature).toBeVisible();
		expect(await signature.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
		await office.close();

		// 7. The server's database holds the whole record, each step audited with the device.
		const staff1 = userId(DATA_DIR, 'staff1');
		withDb(DATA_DIR, (db) => {
			const v = db.prepare('select status, outcome, outcome_note, visited_at from visits where id = ?').get(visit.visitId) as Record<string, string>;
			expect(v).toMatchObject({ status: 'visited', outcome: 'completed', outcome_note: '客户已重置密码，一切顺利' });
			const r = db.prepare('select status from requests where id = ?').get(visit.requestId) as { status: string };
			expect(r.status).toBe('completed');

			const p = db.prepare('select * from visit_progress where visit_id = ?').get(visit.visitId) as Record<string, unknown>;
			expect(p).toBeTruthy();
			expect(String(p.consent_signature)).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/);
			expect(p.consent_by).toBe('resident');
			expect(p.consent_name).toBe(visit.residentName);
			expect(p.arrived_at).toBeTruthy();
			expect(p.travel_started_at).toBeTruthy();
			expect(Number(p.arrival_lat)).toBeCloseTo(30.15712, 4);
			expect(Number(p.arrival_lng)).toBeCloseTo(120.25785, 4);
			expect(Number(p.arrival_accuracy_m)).toBe(12);
			expect(Number(p.arrival_distance_m)).toBeLessThan(50); // the fake position is ~5 m from the pin
			expect(p.completed_by).toBe(staff1);
			expect(JSON.parse(String(p.checklist))).toMatchObject({ pin_reset: { ticked: [0, 1, 2, 3], by: staff1 } });
			expect(JSON.parse(String(p.service_outcomes))).toMatchObject({ pin_reset: { outcome: 'done' } });
			expect([...(JSON.parse(String(p.confirmed_by)) as string[])].sort()).toEqual([staff1, userId(DATA_DIR, 'staff2')].sort());

			const devices = db.prepare('select id from devices where user_id = ? and revoked_at is null').all(staff1) as { id: string }[];
			expect(devices).toHaveLength(1);
			const deviceId = devices[0].id;
			const entries = db
				.prepare(`select action, actor_id, details from audit_log where entity = 'visit' and entity_id = ? order by seq`)
				.all(visit.visitId) as { action: string; actor_id: string; details: string }[];
			const synced = entries.filter((e) => e.action === 'sync_apply').map((e) => JSON.parse(e.details) as Record<string, unknown>);
			expect(synced.map((d) => d.type)).toEqual(['visit.start_travel', 'visit.arrive', ...synced.slice(2, -2).map((d) => d.type), 'visit.service_outcome', 'visit.complete']);
			expect(new Set(synced.map((d) => d.type))).toEqual(new Set(['visit.start_travel', 'visit.arrive', 'visit.checklist', 'visit.service_outcome', 'visit.complete']));
			for (const d of synced) {
				expect(d.deviceId).toBe(deviceId);
				expect(d.originDeviceId).toBe(deviceId);
				expect(JSON.stringify(d)).not.toContain('data:image');
			}
			expect(entries.map((e) => e.action)).toContain('record_outcome');
			expect(entries.every((e) => e.actor_id === staff1 || e.action === 'approve')).toBe(true);
			const mutations = db.prepare(`select result, device_id from sync_mutations where entity_id = ?`).all(visit.visitId) as { result: string; device_id: string }[];
			expect(mutations.length).toBe(synced.length);
			expect(mutations.every((m) => m.result === 'applied' && m.device_id === deviceId)).toBe(true);
		});
	} finally {
		await server.stop();
		rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // Chromium may still be writing as it exits
	}
});
