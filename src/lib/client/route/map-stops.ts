/*
 * The numbered stops the route map draws, from the day in the order the list shows. Pure.
 * The number is the tablet's suggestion when it re-planned, else the published stop, else the
 * position in the list (a day without a published plan still gets numbered markers).
 */
import type { LocalStop, OrderableVisit } from './day-order';

export interface MapStop {
	visitId: string;
	n: number;
	label: string;
	lat: number;
	lng: number;
	/** Numbered by the tablet's own re-plan (drawn differently). */
	local: boolean;
}

export interface StopSource {
	visit: OrderableVisit & { status: string; withdrawnAt: string | null };
	resident: { name: string; lat: number | null; lng: number | null } | null;
}

export function mapStops(ordered: StopSource[], local: Map<string, LocalStop> | null): MapStop[] {
	const stops: MapStop[] = [];
	ordered.forEach(({ visit, resident }, i) => {
		if (visit.withdrawnAt || visit.status === 'cancelled' || resident?.lat == null || resident.lng == null) return;
		const mine = local?.get(visit.id);
		// With a re-plan, stops it left out (done, unreachable) keep no number: they are not ahead.
		if (local && local.size > 0 && !mine) return;
		const n = mine?.order ?? visit.plannedOrder ?? i + 1;
		stops.push({ visitId: visit.id, n, label: `${n} · ${resident.name}`, lat: resident.lat, lng: resident.lng, local: !!mine });
	});
	return stops;
}
