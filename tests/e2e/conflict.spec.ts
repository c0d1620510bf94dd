import { expect, test } from '@playwright/test';
import { serverDb, shanghaiDate } from './helpers';
import { cancelAsHead, ensureServiceWorker, fieldLogin, openVisitFromDayList, pendingCount, planVisit, tabletOptions, workVisit } from './field-helpers';

/**
 * A conflict between the office and the tablet: the outlet head cancels a visit while the team,
 * offline, completes it. When the tablet syncs, the server refuses the tablet's work (the visit
 * is closed), the tablet shows that something needs the user, and the server's audit log keeps
 * both facts: the head's cancellation and the refused completion.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation'], geolocation });

test('a visit cancelled by the head while the tablet completes it offline: refused, shown, both audited', async ({ page, context, baseURL }) => {
	test.setTimeout(90_000);
	const date = shanghaiDate(8);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '18:30', end: '19:30', lead: 'staff1', second: 'staff2', tag: '冲突老人' });

	// The visit reaches the tablet while online.
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	// Through the day list (client-side navigation): deep links are offline.spec.ts's subject.
	await openVisitFromDayList(page, date, visit.residentName);
	const syncBar = page.getByRole('region', { name: '同步状态' });
	await expect(syncBar).toContainText('上次同步');
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项');

	// The tablet loses its network; meanwhile the head cancels the visit in the office.
	await context.setOffline(true);
	await expect(syncBar).toContainText('离线');
	await cancelAsHead(baseURL!, visit.requestId, '客户家属来电取消，改为到网点办理');

	// The team, unaware, works and completes the visit on the tablet.
	await workVisit(page, { lead: '王晓东', second: '李婷' });
	await expect.poll(() => pendingCount(page)).toBeGreaterThan(0);
	await expect(page.getByRole('alert').filter({ hasText: '已被取消' })).toHaveCount(0);

	// The network comes back: the tablet syncs by itself and is refused.
	await context.setOffline(false);
	const needsAction = syncBar.getByRole('link', { name: '1 项需处理' });
	await expect(needsAction).toBeVisible({ timeout: 20_000 });
	await expect(needsAction).toHaveAttribute('href', '/field/conflicts');
	await expect(page.getByRole('alert').filter({ hasText: '此上门任务已被取消或改派，请查看同步提示。' })).toBeVisible();
	// The work is kept on the tablet (refused or held), not silently dropped.
	await expect(page.getByText(/上门已完成：已完成/)).toBeVisible();

	// The day list marks the visit as withdrawn too.
	await page.getByRole('link', { name: '← 我的上门任务' }).click();
	const card = page.locator('article.visit', { hasText: visit.residentName });
	await expect(card).toContainText('此上门任务已被取消或改派');

	// The conflicts page shows both sides; the team gives up its record, which the server logs.
	await needsAction.click();
	const conflict = page.getByTestId('conflict').filter({ hasText: visit.ref });
	await expect(conflict.getByRole('region', { name: '本平板上的记录' })).toContainText('已完成');
	await expect(conflict.getByRole('region', { name: '服务器上的情况' })).toContainText('已取消');
	await conflict.getByRole('button', { name: '放弃本机记录' }).click();
	await expect(conflict).toHaveCount(0);
	await expect(needsAction).toHaveCount(0);
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 20_000 });

	// The server: the request and visit are cancelled, the completion was not recorded, and the
	// audit log holds the head's cancellation AND the tablet's refused mutation.
	const db = serverDb();
	try {
		const v = db.prepare('select status, outcome from visits where id = ?').get(visit.visitId) as { status: string; outcome: string | null };
		expect(v).toEqual({ status: 'cancelled', outcome: null });
		const r = db.prepare('select status, decision_reason from requests where id = ?').get(visit.requestId) as { status: string; decision_reason: string };
		expect(r).toEqual({ status: 'cancelled', decision_reason: '客户家属来电取消，改为到网点办理' });

		const entries = db
			.prepare(
				`select a.action, a.entity, a.details, u.username from audit_log a left join users u on u.id = a.actor_id
				 where (a.entity = 'request' and a.entity_id = ?) or (a.entity = 'visit' and a.entity_id = ?) order by a.seq`
			)
			.all(visit.requestId, visit.visitId) as { action: string; entity: string; details: string; username: string }[];
		const cancel = entries.find((e) => e.action === 'cancel');
		expect(cancel?.username).toBe('head1');
		const rejects = entries.filter((e) => e.action === 'sync_reject');
		expect(rejects.length).toBeGreaterThan(0);
		expect(entries.indexOf(cancel!)).toBeLessThan(entries.indexOf(rejects[0]));
		const first = JSON.parse(rejects[0].details) as Record<string, unknown>;
		expect(rejects[0].username).toBe('staff1');
		expect(first.reason).toMatch(/^err_transition_/);
		expect(first.deviceId).toBeTruthy();
		expect(entries.some((e) => e.action === 'record_outcome')).toBe(false);
		// The only applied mutation is the discard report; it lists what the team gave up.
		const applied = entries.filter((e) => e.action === 'sync_apply' || e.action === 'sync_discard');
		expect(applied.map((e) => e.action)).toEqual(['sync_discard']);
		expect(applied[0].details).toContain('visit.complete');
		expect(applied[0].details).not.toContain('data:image');

		const decided = db.prepare(`select type, result from sync_mutations where entity_id = ?`).all(visit.visitId) as { type: string; result: string }[];
		expect(decided.filter((m) => m.result === 'rejected').length).toBeGreaterThan(0);
		expect(decided.filter((m) => m.result === 'applied').map((m) => m.type)).toEqual(['sync.discard']);
		// Each mutation of the tablet's work is decided: refused, or recorded as given up.
		expect(decided.filter((m) => m.type === 'visit.complete').map((m) => m.result)).toEqual([expect.stringMatching(/^(rejected|discarded)$/)]);
	} finally {
		db.close();
	}
});
