import type { Db } from '$lib/server/repos/common';
import { loadProgress } from '$lib/server/sync/progress-repo';
import { listVisitsForRequest } from '$lib/server/repos/visits';

/*
 * A visit's progress as the team's tablet has synced it, for the outlet head's request page and
 * day view (instead of a stream of "记录已同步" lines): set off, arrived with the distance to the
 * resident's pin, services done, photos received, completed. Positions only for those who may
 * see the resident's pin (the caller decides: `withPositions`).
 */
export interface VisitProgress {
	visitId: string;
	travelStartedAt: string | null;
	arrivedAt: string | null;
	arrivalDistanceM: number | null;
	/** Check-in point and pin, only with `withPositions`. */
	arrival: { lat: number; lng: number; accuracyM: number } | null;
	pin: { lat: number; lng: number } | null;
	servicesDone: number;
	servicesNotDone: number;
	servicesTotal: number;
	photosReceived: number;
	/** Photos the tablet listed with its completion (0 before it). */
	photosListed: number;
	completedAt: string | null;
	outcome: string | null;
}

export interface ProgressVisit {
	id: string;
	status: string;
	outcome: string | null;
	visitedAt: string | null;
	services: string[];
}

/** Progress of several visits at once (two queries, whatever the count). */
export async function visitProgress(
	db: Db,
	visits: ProgressVisit[],
	pins: Map<string, { lat: number | null; lng: number | null } | null> = new Map(),
	withPositions = false
): Promise<Map<string, VisitProgress>> {
	const out = new Map<string, VisitProgress>();
	if (visits.length === 0) return out;
	const ids = visits.map((v) => v.id);
	const photos = await db
		.selectFrom('photos')
		.select((eb) => ['visit_id', eb.fn.countAll<string | number>().as('n')])
		.where('visit_id', 'in', ids)
		.groupBy('visit_id')
		.execute();
	const received = new Map(photos.map((p) => [p.visit_id, Number(p.n)]));
	for (const v of visits) {
		const { state } = await loadProgress(db, v.id);
		const outcomes = Object.entries(state.serviceOutcomes).filter(([code]) => v.services.includes(code));
		const pin = pins.get(v.id);
		out.set(v.id, {
			visitId: v.id,
			travelStartedAt: state.travelStartedAt,
			arrivedAt: state.arrivedAt,
			arrivalDistanceM: state.arrival?.distanceM == null ? null : Math.round(state.arrival.distanceM),
			arrival: withPositions && state.arrival ? { lat: state.arrival.lat, lng: state.arrival.lng, accuracyM: state.arrival.accuracyM } : null,
			pin: withPositions && pin?.lat != null && pin?.lng != null ? { lat: pin.lat, lng: pin.lng } : null,
			servicesDone: outcomes.filter(([, o]) => o.outcome === 'done').length,
			servicesNotDone: outcomes.filter(([, o]) => o.outcome === 'not_done').length,
			servicesTotal: v.services.length,
			photosReceived: received.get(v.id) ?? 0,
			photosListed: state.photos.length,
			completedAt: v.status === 'visited' ? v.visitedAt : null,
			outcome: v.status === 'visited' ? v.outcome : null
		});
	}
	return out;
}

/**
 * The progress of a request's newest visit that was not cancelled, for the outlet head of its
 * outlet (with the pin and check-in point), or null when there is none.
 */
export async function requestProgress(
	db: Db,
	requestId: string,
	services: string[],
	pin: { lat: number | null; lng: number | null } | null
): Promise<VisitProgress | null> {
	const visit = (await listVisitsForRequest(db, requestId)).filter((v) => v.status !== 'cancelled').at(-1);
	if (!visit) return null;
	const one = { id: visit.id, status: visit.status, outcome: visit.outcome, visitedAt: visit.visitedAt, services };
	return (await visitProgress(db, [one], new Map([[visit.id, pin]]), true)).get(visit.id) ?? null;
}

/** Whether a page showing this progress should keep refreshing: the visit is under way. */
export function progressIsLive(p: VisitProgress | null, visitDate: string | null, today: string): boolean {
	if (!p) return false;
	if (!p.completedAt) return visitDate === today || !!(p.travelStartedAt || p.arrivedAt || p.servicesDone + p.servicesNotDone > 0);
	return p.photosListed > p.photosReceived;
}
