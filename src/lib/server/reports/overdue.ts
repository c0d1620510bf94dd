import { sql } from 'kysely';
import { addDays, localDate } from '$lib/domain/calendar';
import { decisionDeadline, visitDeadline } from '$lib/domain/sla';
import type { RequestStatus } from '$lib/domain/status';
import type { Db } from '$lib/server/repos/common';
import type { SlaContext } from '$lib/server/views/sla';
import { slaOf } from '$lib/server/views/sla';
import type { ReportOptions, ScopedFilter } from './scope';
import { and, endExclusive, num, requestConditions, type Expr } from './sql';

/*
 * Requests whose clock runs and has run out now (waiting for a decision, or approved and not
 * yet visited), whatever the period: the to-do list under the compliance figures. The deadline
 * grows with the start date, so per outlet there is one latest start date whose deadline has
 * passed; the database selects the requests started on or before it.
 */

export interface OverdueItem {
	id: string;
	ref: string;
	communityName: string;
	outletId: string;
	outletName: string;
	status: 'submitted' | 'approved';
	kind: 'decision' | 'visit';
	deadline: string;
	workingDaysOver: number;
}

export const OVERDUE_LIST_LIMIT = 50;

/** The latest local start date whose deadline (N working days) is before `now`, or null. */
function latestExpiredStart(days: number, now: string, ctx: SlaContext, kind: 'decision' | 'visit'): string {
	const deadlineOf = kind === 'decision' ? decisionDeadline : visitDeadline;
	let d = localDate(now);
	// The deadline is at least the end of the start day, so the search goes back ≤ N working days plus days off.
	for (let i = 0; i < 400; i++, d = addDays(d, -1)) {
		if (deadlineOf(`${d}T04:00:00.000Z`, days, ctx.cal) < now) return d;
	}
	return d;
}

export async function overdueList(db: Db, f: ScopedFilter, options: ReportOptions, ctx: SlaContext): Promise<{ total: number; items: OverdueItem[] }> {
	const outlets = options.outlets.filter((o) => !f.outletId || o.id === f.outletId);
	if (!outlets.length) return { total: 0, items: [] };
	const parts: Expr[] = [];
	for (const o of outlets) {
		const dec = latestExpiredStart(o.decideDays, ctx.now, ctx, 'decision');
		const vis = latestExpiredStart(o.visitDays, ctx.now, ctx, 'visit');
		parts.push(sql`(r.outlet_id = ${o.id} and r.status = 'submitted' and r.created_at < ${endExclusive(dec)})`);
		parts.push(sql`(r.outlet_id = ${o.id} and r.status = 'approved' and r.decided_at < ${endExclusive(vis)})`);
	}
	const where = sql`${and(requestConditions(f))} and (${sql.join(parts, sql` or `)})`;
	const [{ rows: countRows }, { rows }] = await Promise.all([
		sql<{ n: number | string }>`select count(*) as n from requests r where ${where}`.execute(db),
		sql<{ id: string; ref: string; status: string; created_at: string; decided_at: string | null; outlet_id: string; community: string; outlet: string }>`
			select r.id, r.ref, r.status, r.created_at, r.decided_at, r.outlet_id, c.name as community, o.name as outlet
			from requests r join communities c on c.id = r.community_id join outlets o on o.id = r.outlet_id
			where ${where}
			order by coalesce(r.decided_at, r.created_at), r.id limit ${OVERDUE_LIST_LIMIT}`.execute(db)
	]);
	const items: OverdueItem[] = [];
	for (const r of rows) {
		const clock = slaOf(ctx, { outletId: r.outlet_id, status: r.status as RequestStatus, createdAt: r.created_at, decidedAt: r.decided_at });
		if (!clock) continue;
		items.push({
			id: r.id,
			ref: r.ref,
			communityName: r.community,
			outletId: r.outlet_id,
			outletName: r.outlet,
			status: r.status as OverdueItem['status'],
			kind: clock.kind,
			deadline: clock.deadline,
			workingDaysOver: Math.max(0, -clock.workingDaysLeft)
		});
	}
	items.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.ref.localeCompare(b.ref));
	return { total: num(countRows[0]?.n), items };
}
