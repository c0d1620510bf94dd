import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseReportFilter } from '$lib/domain/report-filters';
import type { SessionUser } from '$lib/server/auth/types';
import { ledgerResponse } from '$lib/server/reports/export';
import { reportData } from '$lib/server/reports/report';
import { ReportError, scopeFilter } from '$lib/server/reports/scope';
import { REPORT_NOW, seedReportFixture, type ReportFixture } from './report-fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

const session = (id: string, role: SessionUser['role'], outletId: string | null, communityId: string | null): SessionUser => ({ id, username: id, displayName: id, role, outletId, communityId });
const ADMIN = session('admin', 'admin', null, null);
const HEAD_A = session('head', 'outlet_head', 'oA', null);
const HEAD_B = session('headB', 'outlet_head', 'oB', null);
const WORKER_A2 = session('w2', 'community_worker', null, 'cA2');

describe.each(DIALECTS)('branch report figures on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	let fx: ReportFixture;
	const t = useTestDatabase(dialect, async (db) => {
		fx = await seedReportFixture(db);
	});

	async function report(user: SessionUser, query: string) {
		const parsed = parseReportFilter(new URLSearchParams(query), REPORT_NOW);
		if (!parsed.ok) throw new Error(parsed.code);
		const { filter, options } = await scopeFilter(t.db, user, parsed.filter);
		return { data: await reportData(t.db, filter, options, REPORT_NOW), filter, options };
	}

	it('counts October for outlet A by hand: requests, outcomes, services, time limits across the National Day holidays', async () => {
		const { data } = await report(HEAD_A, 'month=2026-10');
		expect(data.requests).toEqual({ received: 7, approved: 4, rejected: 1, cancelled: 1, pending: 1 });
		expect(data.visits).toEqual({ total: 5, completed: 3, not_home: 1, refused: 1, follow_up: 0 });
		expect(data.services).toEqual([{ code: 'ss_card_activation', count: 1 }, { code: 'pin_reset', count: 2 }]);
		// Decisions: R2 1 day (within), R3 2 (late), R6 0, R7 1, R9 1 → 4 of 5; median 1, p90 2.
		expect(data.decision).toEqual({ measured: 5, withinLimit: 4, rate: 0.8, medianDays: 1, p90Days: 2 });
		// Visits: v1 4 days (within, counted past the holidays and the working Saturday), v2a 5 (late),
		// v2b 7, v7 3, v9 2 → 4 of 5; median 4, p90 7.
		expect(data.visit).toEqual({ measured: 5, withinLimit: 4, rate: 0.8, medianDays: 4, p90Days: 7 });
		expect(data.overdue.total).toBe(2);
		expect(data.overdue.items.map((i) => [i.ref, i.kind, i.workingDaysOver])).toEqual([
			[fx.refs['5'], 'decision', 10],
			[fx.refs['6'], 'visit', 7]
		]);
	});

	it('the holiday-crossing decision of September is within its limit and the trend shows it', async () => {
		const { data } = await report(HEAD_A, 'month=2026-10');
		expect(data.trend).toHaveLength(12);
		expect(data.trend[0].month).toBe('2025-11');
		const sep = data.trend.find((p) => p.month === '2026-09')!;
		const oct = data.trend.find((p) => p.month === '2026-10')!;
		expect(sep).toMatchObject({ received: 1, decisionRate: 1, visits: 0, visitRate: null });
		expect(oct).toMatchObject({ received: 7, decisionRate: 0.8, visits: 5, visitRate: 0.8, outcomes: { completed: 3, not_home: 1, refused: 1, follow_up: 0 } });
		const sepOnly = await report(HEAD_A, 'from=2026-09-01&to=2026-09-30');
		expect(sepOnly.data.decision).toEqual({ measured: 1, withinLimit: 1, rate: 1, medianDays: 1, p90Days: 1 });
	});

	it('workload per staff member and per two-person team, travel minutes and evidence sent back', async () => {
		const { data } = await report(HEAD_A, 'month=2026-10');
		const w = data.workload!;
		expect(w.staff.map((s) => [s.id, s.visits, s.travelMinutes, s.sentBack])).toEqual([
			['s1', 5, 25, 1],
			['s2', 3, 0, 0],
			['s3', 2, 25, 1]
		]);
		expect(w.teams.map((s) => [s.members, s.visits, s.travelMinutes])).toEqual([
			[['s1', 's2'], 3, 0],
			[['s1', 's3'], 2, 25]
		]);
		expect(w).toMatchObject({ visits: 5, travelMinutes: 25, sentBack: 1, sentBackRate: 0.2 });
	});

	it('filters by community, service and urgency; the admin sees the branch', async () => {
		expect((await report(HEAD_A, 'month=2026-10&community=cA2')).data.requests.received).toBe(1);
		expect((await report(HEAD_A, 'month=2026-10&service=pin_reset')).data.requests.received).toBe(5);
		expect((await report(HEAD_A, 'month=2026-10&urgency=urgent')).data.requests).toMatchObject({ received: 1, approved: 1 });
		const branch = await report(ADMIN, 'month=2026-10');
		expect(branch.data.requests.received).toBe(8);
		expect(branch.data.visits.total).toBe(6);
		expect((await report(ADMIN, 'month=2026-10&outlet=oB')).data.requests.received).toBe(1);
	});

	it('scope: a head only their outlet, a worker only their community and no workload', async () => {
		const b = await report(HEAD_B, 'month=2026-10');
		expect(b.data.requests.received).toBe(1);
		expect(b.data.overdue.total).toBe(0);
		const refused = (q: string, user: SessionUser) => report(user, q).then(() => null, (e: unknown) => (e instanceof ReportError ? [e.status, e.code] : e));
		expect(await refused('month=2026-10&outlet=oA', HEAD_B)).toEqual([403, 'err_forbidden']);
		expect(await refused('month=2026-10&community=cA1', HEAD_B)).toEqual([403, 'err_forbidden']);
		expect(await refused('month=2026-10&community=cA1', WORKER_A2)).toEqual([403, 'err_forbidden']);
		expect(await refused('month=2026-10&outlet=nope', ADMIN)).toEqual([400, 'err_report_bad_filter']);
		expect(await refused('month=2026-10&service=nope', ADMIN)).toEqual([400, 'err_report_bad_filter']);
		const w = await report(WORKER_A2, 'month=2026-10');
		expect(w.filter.communityId).toBe('cA2');
		expect(w.data.requests.received).toBe(1);
		expect(w.data.workload).toBeNull();
	});

	it('exports the ledger as CSV (BOM) and XLSX (two sheets) with masked residents only', async () => {
		const parsed = parseReportFilter(new URLSearchParams('month=2026-10'), REPORT_NOW);
		if (!parsed.ok) throw new Error(parsed.code);
		const { filter, options } = await scopeFilter(t.db, HEAD_A, parsed.filter);

		const csv = Buffer.from(await (await ledgerResponse(t.db, filter, options, 'csv', 'zh', REPORT_NOW)).arrayBuffer());
		expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
		expect(lines).toHaveLength(8);
		expect(lines[0]).toContain('"申请编号"');
		const refs = lines.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''));
		expect(refs).toEqual(['2', '3', '4', '5', '6', '7', '9'].map((k) => fx.refs[k]));
		// time limit met: R2 yes, R3 no, R4 n/a, R5 no, R6 no, R7 yes, R9 yes
		expect(lines.slice(1).map((l) => l.split('","')[12])).toEqual(['是', '否', '', '否', '否', '是', '是']);

		const xlsx = Buffer.from(await (await ledgerResponse(t.db, filter, options, 'xlsx', 'en', REPORT_NOW)).arrayBuffer());
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
		expect(wb.worksheets.map((s) => s.name)).toEqual(['Ledger', 'Summary']);
		const sheet = wb.worksheets[0];
		expect(sheet.rowCount).toBe(8);
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(sheet.getRow(1).getCell(1).value).toBe('Ref');
		const r2 = sheet.getRow(2).values as unknown[];
		expect(r2[1]).toBe(fx.refs['2']);
		expect(String(r2[5])).toMatch(/^3\*{16}[0-9X]$/);
		expect(String(r2[4])).toBe('测****号');
		expect(wb.worksheets[1].getRow(1).getCell(1).value).toBe('Figure');
		const text = JSON.stringify(sheet.getSheetValues()) + JSON.stringify(wb.worksheets[1].getSheetValues()) + csv.toString('utf8');
		for (const id of fx.idNumbers) expect(text).not.toContain(id);
		expect(text).not.toMatch(/1380000\d{4}/);
	});

	it('an edited working calendar is used at the next report (the SQL index is rebuilt)', async () => {
		// Without the National Day holidays, R1 (received 09-30, approved 10-08) took 6 working days: late.
		const holidays = await t.db.selectFrom('calendar_days').selectAll().where('kind', '=', 'holiday').execute();
		await t.db.deleteFrom('calendar_days').where('kind', '=', 'holiday').execute();
		try {
			const sep = await report(HEAD_A, 'from=2026-09-01&to=2026-09-30');
			expect(sep.data.decision).toEqual({ measured: 1, withinLimit: 0, rate: 0, medianDays: 6, p90Days: 6 });
		} finally {
			await t.db.insertInto('calendar_days').values(holidays).execute();
		}
		const again = await report(HEAD_A, 'from=2026-09-01&to=2026-09-30');
		expect(again.data.decision.withinLimit).toBe(1);
	});
});
