import { addTo, quantile, ratio } from '$lib/domain/report-stats';
import { monthsBetween, shiftMonth } from '$lib/domain/report-filters';
import { VISIT_OUTCOMES } from '$lib/domain/status';
import type { Db } from '$lib/server/repos/common';
import { loadSlaContext } from '$lib/server/views/sla';
import { overdueList, type OverdueItem } from './overdue';
import { decisionClock, servicesDelivered, statusCounts, teamWorkload, visitClock, type ClockRow, type Span } from './queries';
import type { ReportOptions, ScopedFilter } from './scope';
import { staffNames } from './staff';
import { ensureWorkdayIndex } from './workdays';

/*
 * The figures of /reports (and the summary sheet of the export), composed from the grouped
 * queries. Requests are counted by the day they were received, visits by their visit date.
 */

export interface ClockSummary {
	/** Requests (decision) or visits (visit) measured. */
	measured: number;
	withinLimit: number;
	rate: number | null;
	medianDays: number | null;
	p90Days: number | null;
}

export interface TrendPoint {
	month: string;
	received: number;
	decisionRate: number | null;
	visitRate: number | null;
	visits: number;
	outcomes: Record<(typeof VISIT_OUTCOMES)[number], number>;
}

export interface WorkloadRow {
	id: string;
	name: string;
	visits: number;
	travelMinutes: number;
	sentBack: number;
	sentBackRate: number | null;
}

export interface ReportData {
	requests: { received: number; approved: number; rejected: number; cancelled: number; pending: number };
	visits: Record<(typeof VISIT_OUTCOMES)[number], number> & { total: number };
	services: { code: string; count: number }[];
	decision: ClockSummary;
	visit: ClockSummary;
	overdue: { total: number; items: OverdueItem[] };
	/** Null for a community worker: staff workload is the outlet's business. */
	workload: {
		staff: WorkloadRow[];
		teams: (WorkloadRow & { members: [string, string] })[];
		travelMinutes: number;
		sentBack: number;
		sentBackRate: number | null;
		visits: number;
	} | null;
	trend: TrendPoint[];
}

/** The trend covers the 12 months up to the period's last month, or the whole period if longer. */
export function trendSpan(f: { from: string; to: string }): Span {
	const start = `${shiftMonth(f.to.slice(0, 7), -11)}-01`;
	return { from: start < f.from ? start : f.from, to: f.to };
}

function summarize(rows: ClockRow[]): ClockSummary {
	const hist = new Map<number, number>();
	let measured = 0;
	let within = 0;
	for (const r of rows) {
		if (!r.inPeriod || r.within === null) continue;
		measured += r.n;
		if (r.within) within += r.n;
		if (r.delay !== null) addTo(hist, Math.max(0, r.delay), r.n);
	}
	return { measured, withinLimit: within, rate: ratio(within, measured), medianDays: quantile(hist, 0.5), p90Days: quantile(hist, 0.9) };
}

function monthlyRate(rows: ClockRow[]): Map<string, { n: number; within: number; all: number }> {
	const out = new Map<string, { n: number; within: number; all: number }>();
	for (const r of rows) {
		const e = out.get(r.month) ?? { n: 0, within: 0, all: 0 };
		e.all += r.n;
		if (r.within !== null) {
			e.n += r.n;
			if (r.within) e.within += r.n;
		}
		out.set(r.month, e);
	}
	return out;
}

export async function reportData(db: Db, f: ScopedFilter, options: ReportOptions, now = new Date()): Promise<ReportData> {
	const ctx = await loadSlaContext(db, now);
	await ensureWorkdayIndex(db, ctx.cal, now);
	const span = trendSpan(f);
	const withWorkload = f.role !== 'community_worker';
	const [statuses, decisions, visits, services, overdue, teams] = await Promise.all([
		statusCounts(db, f),
		decisionClock(db, f, span),
		visitClock(db, f, span),
		servicesDelivered(db, f, options.services.map((s) => s.code)),
		overdueList(db, f, options, ctx),
		withWorkload ? teamWorkload(db, f) : Promise.resolve([])
	]);

	const requests = { received: 0, approved: 0, rejected: 0, cancelled: 0, pending: 0 };
	for (const s of statuses) {
		requests.received += s.n;
		if (s.hasVisit) requests.approved += s.n;
		if (s.status === 'rejected') requests.rejected += s.n;
		if (s.status === 'cancelled') requests.cancelled += s.n;
		if (s.status === 'submitted') requests.pending += s.n;
	}
	const visitCounts = { total: 0, completed: 0, not_home: 0, refused: 0, follow_up: 0 };
	for (const v of visits) {
		if (!v.inPeriod) continue;
		visitCounts.total += v.n;
		if (v.outcome in visitCounts && v.outcome !== 'total') visitCounts[v.outcome as (typeof VISIT_OUTCOMES)[number]] += v.n;
	}

	const outcomesByMonth = new Map<string, TrendPoint['outcomes']>();
	for (const v of visits) {
		const o = outcomesByMonth.get(v.month) ?? { completed: 0, not_home: 0, refused: 0, follow_up: 0 };
		if (v.outcome in o) o[v.outcome as keyof TrendPoint['outcomes']] += v.n;
		outcomesByMonth.set(v.month, o);
	}
	const decMonths = monthlyRate(decisions);
	const visMonths = monthlyRate(visits);
	const trend = monthsBetween(span.from.slice(0, 7), span.to.slice(0, 7)).map((month) => {
		const d = decMonths.get(month);
		const v = visMonths.get(month);
		return { month, received: d?.all ?? 0, decisionRate: d ? ratio(d.within, d.n) : null, visitRate: v ? ratio(v.within, v.n) : null, visits: v?.all ?? 0, outcomes: outcomesByMonth.get(month) ?? { completed: 0, not_home: 0, refused: 0, follow_up: 0 } };
	});

	let workload: ReportData['workload'] = null;
	if (withWorkload) {
		const names = await staffNames(db, teams.flatMap((t) => [t.lead, t.second]));
		const perStaff = new Map<string, WorkloadRow>();
		const perTeam = new Map<string, WorkloadRow & { members: [string, string] }>();
		for (const t of teams) {
			for (const id of new Set([t.lead, t.second])) {
				const s = perStaff.get(id) ?? { id, name: names.get(id) ?? '—', visits: 0, travelMinutes: 0, sentBack: 0, sentBackRate: null };
				s.visits += t.visits;
				s.travelMinutes += t.travelMinutes;
				s.sentBack += t.sentBack;
				perStaff.set(id, s);
			}
			// A team is the pair, whoever leads.
			const pair = [t.lead, t.second].sort() as [string, string];
			const key = pair.join('|');
			const team = perTeam.get(key) ?? { id: key, name: pair.map((id) => names.get(id) ?? '—').join(' · '), members: pair, visits: 0, travelMinutes: 0, sentBack: 0, sentBackRate: null };
			team.visits += t.visits;
			team.travelMinutes += t.travelMinutes;
			team.sentBack += t.sentBack;
			perTeam.set(key, team);
		}
		const finish = <T extends WorkloadRow>(rows: T[]): T[] =>
			rows
				.map((r) => ({ ...r, travelMinutes: Math.round(r.travelMinutes), sentBackRate: ratio(r.sentBack, r.visits) }))
				.sort((a, b) => b.visits - a.visits || a.name.localeCompare(b.name, 'zh'));
		const total = teams.reduce((acc, t) => ({ visits: acc.visits + t.visits, travel: acc.travel + t.travelMinutes, sentBack: acc.sentBack + t.sentBack }), { visits: 0, travel: 0, sentBack: 0 });
		workload = {
			staff: finish([...perStaff.values()]),
			teams: finish([...perTeam.values()]),
			travelMinutes: Math.round(total.travel),
			sentBack: total.sentBack,
			sentBackRate: ratio(total.sentBack, total.visits),
			visits: total.visits
		};
	}

	return {
		requests,
		visits: visitCounts,
		services: options.services.map((s) => ({ code: s.code, count: services.get(s.code) ?? 0 })),
		decision: summarize(decisions),
		visit: summarize(visits),
		overdue,
		workload,
		trend
	};
}
