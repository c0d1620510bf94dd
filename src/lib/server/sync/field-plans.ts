/*
 * The published route plan (dispatch board → `visit_plans`) as the field tablets see it: per
 * visit its stop number and planned arrival. Read next to the visits in the same pull, so the
 * plan is part of each visit's fingerprint and a (re-)publication reaches the devices at their
 * next pull without any counter (see cursor.ts).
 */
import { localTime } from '$lib/domain/calendar';
import type { Db } from '$lib/server/repos/common';
import type { SyncVisit } from '$lib/client/sync/protocol';

export interface FieldPlan {
	plannedOrder: number;
	/** `HH:MM` Asia/Shanghai. */
	plannedArrival: string;
}

interface PlanRow {
	visit_id: string;
	date: string;
	lead_staff_id: string;
	second_staff_id: string;
	planned_order: number;
	planned_arrival: string;
}

/** SQLite and PostgreSQL both take a few hundred bound parameters per `in (…)` comfortably. */
const CHUNK = 500;

async function planRows(db: Db, visitIds: string[]): Promise<PlanRow[]> {
	const rows: PlanRow[] = [];
	for (let i = 0; i < visitIds.length; i += CHUNK) {
		const ids = visitIds.slice(i, i + CHUNK);
		rows.push(
			...(await db
				.selectFrom('visit_plans')
				.select(['visit_id', 'date', 'lead_staff_id', 'second_staff_id', 'planned_order', 'planned_arrival'])
				.where('visit_id', 'in', ids)
				.execute())
		);
	}
	return rows;
}

/**
 * A plan row still describes the visit only while the visit is on the planned day with the
 * planned team: after a reschedule or reassignment the head has not published a plan for it
 * (the order would be another team's), so the tablet shows none rather than a wrong one.
 */
export function planStillApplies(row: Pick<PlanRow, 'date' | 'lead_staff_id' | 'second_staff_id'>, visit: Pick<SyncVisit, 'date' | 'lead' | 'second'>): boolean {
	const planned = [row.lead_staff_id, row.second_staff_id].sort().join('|');
	const now = [visit.lead.id, visit.second.id].sort().join('|');
	return row.date === visit.date && planned === now;
}

/** The visits with their published stop number and arrival filled in (null where none applies). */
export async function withPublishedPlans(db: Db, visits: SyncVisit[]): Promise<SyncVisit[]> {
	if (visits.length === 0) return visits;
	const rows = new Map((await planRows(db, visits.map((v) => v.id))).map((r) => [r.visit_id, r]));
	return visits.map((v) => {
		const row = rows.get(v.id);
		if (!row || !planStillApplies(row, v)) return { ...v, plannedOrder: null, plannedArrival: null };
		return { ...v, plannedOrder: row.planned_order, plannedArrival: localTime(row.planned_arrival) };
	});
}
