import type { LatLng } from '$lib/routing';
import type { Db } from '$lib/server/repos/common';
import { listServices } from '$lib/server/repos/services';
import { listVisitsForOutlet, type VisitListItem } from '$lib/server/repos/visits';

/*
 * Loading what planning needs from the repositories: positions, service durations and the
 * outlet's visits of a day, shaped as optimiser stops.
 */

/** Used when a request's services are unknown to the catalogue (renamed, removed). */
const DEFAULT_SERVICE_MIN = 30;

export type Durations = Map<string, number>;

export async function serviceDurations(db: Db): Promise<Durations> {
	return new Map((await listServices(db)).map((s) => [s.code, s.durationMin]));
}

/** Several services are done one after the other at the same visit. */
export function serviceMinutes(codes: string[], durations: Durations): number {
	const total = codes.reduce((sum, code) => sum + (durations.get(code) ?? DEFAULT_SERVICE_MIN), 0);
	return total > 0 ? total : DEFAULT_SERVICE_MIN;
}

/**
 * Where the team goes. A resident without a pin is planned at the outlet (no travel) rather than
 * left out: the head still gets a schedule, only the travel estimate is optimistic.
 */
export function placeOf(resident: { lat: number | null; lng: number | null }, outlet: LatLng): LatLng {
	return resident.lat != null && resident.lng != null ? { lat: resident.lat, lng: resident.lng } : outlet;
}

/** The outlet's visits still to happen on `date`, with what planning needs of each. */
export async function scheduledVisits(db: Db, outletId: string, date: string): Promise<VisitListItem[]> {
	return (await listVisitsForOutlet(db, outletId, date)).filter((v) => v.status === 'scheduled');
}

export function visitStop(v: VisitListItem, outlet: LatLng, durations: Durations) {
	return {
		id: v.id,
		location: placeOf(v.resident, outlet),
		start: v.windowStart,
		end: v.windowEnd,
		serviceMin: serviceMinutes(v.services, durations),
		leadStaffId: v.leadStaffId,
		secondStaffId: v.secondStaffId
	};
}
