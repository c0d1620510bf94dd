import type { Db } from '$lib/server/repos/common';
import { inTransaction } from '$lib/server/workflow/context';

/** A visit's place in a published plan (table `visit_plans`, migration 003_plans). */
export interface PlannedVisit {
	visitId: string;
	leadStaffId: string;
	secondStaffId: string;
	plannedOrder: number;
	/** ISO-8601 UTC instant. */
	plannedArrival: string;
}

export async function readPublishedPlan(db: Db, outletId: string, date: string): Promise<{ publishedAt: string | null; visits: PlannedVisit[] }> {
	const rows = await db
		.selectFrom('visit_plans')
		.selectAll()
		.where('outlet_id', '=', outletId)
		.where('date', '=', date)
		.orderBy('lead_staff_id')
		.orderBy('planned_order')
		.execute();
	return {
		publishedAt: rows.reduce<string | null>((max, r) => (max === null || r.published_at > max ? r.published_at : max), null),
		visits: rows.map((r) => ({
			visitId: r.visit_id,
			leadStaffId: r.lead_staff_id,
			secondStaffId: r.second_staff_id,
			plannedOrder: r.planned_order,
			plannedArrival: r.planned_arrival
		}))
	};
}

/** Replaces the day's plan of the outlet: a plan is published whole, never merged. */
export async function replacePublishedPlan(
	db: Db,
	q: { outletId: string; date: string; publishedBy: string; at: Date; visits: PlannedVisit[] }
): Promise<void> {
	await inTransaction(db, async (tx) => {
		const ids = q.visits.map((v) => v.visitId);
		await tx.deleteFrom('visit_plans').where('outlet_id', '=', q.outletId).where('date', '=', q.date).execute();
		// A visit moved to another day keeps no stale row on its old date.
		if (ids.length) await tx.deleteFrom('visit_plans').where('visit_id', 'in', ids).execute();
		if (!ids.length) return;
		await tx
			.insertInto('visit_plans')
			.values(
				q.visits.map((v) => ({
					visit_id: v.visitId,
					outlet_id: q.outletId,
					date: q.date,
					lead_staff_id: v.leadStaffId,
					second_staff_id: v.secondStaffId,
					planned_order: v.plannedOrder,
					planned_arrival: v.plannedArrival,
					published_at: q.at.toISOString(),
					published_by: q.publishedBy
				}))
			)
			.execute();
	});
}
