/*
 * The order of a day's visits on the tablet. Pure: used by the field day list and the route map.
 *
 * With a published plan (dispatch board) each visit carries its team's stop number and planned
 * arrival. The list is sorted by the planned arrival (else the booked window's start), then
 * the stop number: for one team that is exactly the published order, and a staff member who is
 * out with two teams on one day (each team numbers its own stops from 1) still gets the
 * visits in the order they happen. A tablet's own re-plan, when there is one, comes first.
 */

export interface OrderableVisit {
	id: string;
	start: string;
	plannedOrder: number | null;
	plannedArrival: string | null;
}

/** A tablet's own re-plan of the remaining stops (see replan-input.ts). */
export interface LocalStop {
	visitId: string;
	/** 1-based position in the tablet's suggestion. */
	order: number;
	/** Expected service start `HH:MM`. */
	arrival: string;
}

export function compareByPlan(a: OrderableVisit, b: OrderableVisit): number {
	const at = (v: OrderableVisit) => v.plannedArrival ?? v.start;
	return (
		at(a).localeCompare(at(b)) ||
		(a.plannedOrder ?? Number.MAX_SAFE_INTEGER) - (b.plannedOrder ?? Number.MAX_SAFE_INTEGER) ||
		a.start.localeCompare(b.start) ||
		a.id.localeCompare(b.id)
	);
}

/**
 * Sorted for the day list: the local re-plan's stops in its order first (when given), then
 * every other visit (done, cancelled, or not placed by the re-plan) in the published order.
 */
export function orderDay<T extends OrderableVisit>(visits: T[], local: LocalStop[] | null = null): T[] {
	const published = [...visits].sort(compareByPlan);
	if (!local || local.length === 0) return published;
	const rank = new Map(local.map((s) => [s.visitId, s.order]));
	const inLocal = published.filter((v) => rank.has(v.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
	return [...inLocal, ...published.filter((v) => !rank.has(v.id))];
}

/** Whole rows (visit + whatever goes with it) in the order of `orderDay`. */
export function orderRows<R extends { visit: OrderableVisit }>(rows: R[], localStops: LocalStop[] | null): R[] {
	const byId = new Map(rows.map((r) => [r.visit.id, r]));
	return orderDay(rows.map((r) => r.visit), localStops).map((v) => byId.get(v.id)!);
}
