import { sql } from 'kysely';
import type { Db } from '$lib/server/repos/common';
import type { ScopedFilter } from './scope';
import { and, endExclusive, localDateOf, minutesBetween, num, numOrNull, requestConditions, startOf } from './sql';

/*
 * The grouped queries of the report. Each returns a handful of rows whatever the number of
 * requests: the database filters (indexes on outlet/community + date), joins the working-day
 * index (`report_workdays`, ensured by the caller: ./workdays.ts) and counts. `span` is the range the trend covers (at least the filter's period).
 */

export interface Span {
	from: string;
	to: string;
}

export interface StatusRow {
	status: string;
	hasVisit: boolean;
	n: number;
}

/** Requests received in the period by status, and whether a visit was ever scheduled (approved). */
export async function statusCounts(db: Db, f: ScopedFilter): Promise<StatusRow[]> {
	const { rows } = await sql<{ status: string; has_visit: number | string; n: number | string }>`
		select status, has_visit, count(*) as n from (
			select r.status as status,
				case when exists (select 1 from visits v where v.request_id = r.id) then 1 else 0 end as has_visit
			from requests r
			where ${and(requestConditions(f))} and r.created_at >= ${startOf(f.from)} and r.created_at < ${endExclusive(f.to)}
		) t group by status, has_visit`.execute(db);
	return rows.map((r) => ({ status: r.status, hasVisit: num(r.has_visit) === 1, n: num(r.n) }));
}

export interface ClockRow {
	month: string;
	inPeriod: boolean;
	/** Working days from the (rolled-forward) start; null: no decision / outside the index. */
	delay: number | null;
	/** Within the time limit; null when there is nothing to measure (no decision yet). */
	within: boolean | null;
	n: number;
}

type ClockSqlRow = { month: string; in_period: number | string; delay: number | string | null; within: number | string | null; n: number | string };
const toClock = (r: ClockSqlRow): ClockRow => ({
	month: r.month,
	inPeriod: num(r.in_period) === 1,
	delay: numOrNull(r.delay),
	within: r.within === null ? null : num(r.within) === 1,
	n: num(r.n)
});

/**
 * Decisions on requests received in the span: the decision is the first visit's scheduling
 * (approval; `decided_at` moves on at a reopen) or the rejection. Cancelled before a decision:
 * nothing to measure.
 */
export async function decisionClock(db: Db, f: ScopedFilter, span: Span): Promise<ClockRow[]> {
	const ld = (e: ReturnType<typeof sql>) => localDateOf(db, e);
	const { rows } = await sql<ClockSqlRow>`
		with base as materialized (
			select r.created_at as created_at, o.decide_days as n, ${ld(sql`r.created_at`)} as cd,
				coalesce((select min(v.created_at) from visits v where v.request_id = r.id),
					case when r.status = 'rejected' then r.decided_at end) as dec_at
			from requests r join outlets o on o.id = r.outlet_id
			where ${and(requestConditions(f))} and r.created_at >= ${startOf(span.from)} and r.created_at < ${endExclusive(span.to)}
		),
		x as (
			select substr(b.cd, 1, 7) as month,
				case when b.created_at >= ${startOf(f.from)} then 1 else 0 end as in_period,
				case when b.dec_at is null or xd.d is null then null else xd.cum - (c.cum + 1 - c.w) end as delay,
				case when b.dec_at is null then null
					when xd.d is null then 0
					when 2 * xd.cum + (1 - xd.w) <= 2 * (c.cum + 1 - c.w + b.n) then 1 else 0 end as within
			from base b join report_workdays c on c.d = b.cd
			left join report_workdays xd on xd.d = ${ld(sql`b.dec_at`)}
		)
		select month, in_period, delay, within, count(*) as n from x group by month, in_period, delay, within`.execute(db);
	return rows.map(toClock);
}

export interface VisitClockRow extends ClockRow {
	outcome: string;
}

/**
 * Visits carried out (visit date in the span): outcome, working days from the request to the
 * visit, and whether it was made within the visit time limit counted from its scheduling
 * (approval or reopen), on the day the team recorded it.
 */
export async function visitClock(db: Db, f: ScopedFilter, span: Span): Promise<VisitClockRow[]> {
	const ld = (e: ReturnType<typeof sql>) => localDateOf(db, e);
	const { rows } = await sql<ClockSqlRow & { outcome: string | null }>`
		with base as materialized (
			select v.date as vd, v.outcome as outcome, o.visit_days as n,
				${ld(sql`v.created_at`)} as sd, ${ld(sql`r.created_at`)} as cd,
				coalesce(${ld(sql`v.visited_at`)}, v.date) as xd0
			from visits v join requests r on r.id = v.request_id join outlets o on o.id = v.outlet_id
			where v.status = 'visited' and v.date >= ${span.from} and v.date <= ${span.to} and ${and(requestConditions(f, { visits: true }))}
		),
		x as (
			select substr(b.vd, 1, 7) as month,
				case when b.vd >= ${f.from} then 1 else 0 end as in_period,
				b.outcome as outcome,
				case when c.d is null or xd.d is null then null else xd.cum - (c.cum + 1 - c.w) end as delay,
				case when s.d is null or xd.d is null then 0
					when 2 * xd.cum + (1 - xd.w) <= 2 * (s.cum + 1 - s.w + b.n) then 1 else 0 end as within
			from base b
			left join report_workdays s on s.d = b.sd
			left join report_workdays c on c.d = b.cd
			left join report_workdays xd on xd.d = b.xd0
		)
		select month, in_period, outcome, delay, within, count(*) as n from x group by month, in_period, outcome, delay, within`.execute(db);
	return rows.map((r) => ({ ...toClock(r), outcome: r.outcome ?? 'unknown' }));
}

/** How many completed visits in the period included each service (bounded catalogue). */
export async function servicesDelivered(db: Db, f: ScopedFilter, codes: string[]): Promise<Map<string, number>> {
	const list = codes.slice(0, 100);
	if (!list.length) return new Map();
	const cols = list.map((code, i) => sql`sum(case when r.services like ${`%"${code.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`} escape '\\' then 1 else 0 end) as ${sql.ref(`s${i}`)}`);
	const { rows } = await sql<Record<string, number | string | null>>`
		select ${sql.join(cols)} from visits v join requests r on r.id = v.request_id
		where v.status = 'visited' and v.outcome = 'completed' and v.date >= ${f.from} and v.date <= ${f.to} and ${and(requestConditions(f, { visits: true }))}`.execute(db);
	const row = rows[0] ?? {};
	return new Map(list.map((code, i) => [code, num(row[`s${i}`])]));
}

export interface TeamRow {
	lead: string;
	second: string;
	visits: number;
	travelMinutes: number;
	/** Visits with a recorded travel start and arrival. */
	travelled: number;
	sentBack: number;
}

/** Visits carried out in the period per (lead, second) pair, with travel and sent-back evidence. */
export async function teamWorkload(db: Db, f: ScopedFilter): Promise<TeamRow[]> {
	const travel = minutesBetween(db, sql`p.travel_started_at`, sql`p.arrived_at`);
	const { rows } = await sql<{ lead: string; second: string; visits: number | string; travel: number | string | null; travelled: number | string; sent_back: number | string }>`
		select lead, second, count(*) as visits, sum(minutes) as travel, sum(case when minutes is null then 0 else 1 end) as travelled, sum(sent_back) as sent_back from (
			select v.lead_staff_id as lead, v.second_staff_id as second,
				case when p.travel_started_at is not null and p.arrived_at is not null and p.arrived_at > p.travel_started_at then ${travel} end as minutes,
				case when exists (select 1 from audit_log a where a.entity = 'visit' and a.entity_id = v.id and a.action = 'evidence_send_back') then 1 else 0 end as sent_back
			from visits v join requests r on r.id = v.request_id
			left join visit_progress p on p.visit_id = v.id
			where v.status = 'visited' and v.date >= ${f.from} and v.date <= ${f.to} and ${and(requestConditions(f, { visits: true }))}
		) t group by lead, second`.execute(db);
	return rows.map((r) => ({ lead: r.lead, second: r.second, visits: num(r.visits), travelMinutes: num(r.travel), travelled: num(r.travelled), sentBack: num(r.sent_back) }));
}
