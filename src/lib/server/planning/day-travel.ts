/**
 * Pure part of road travel (see road-travel.ts for where it comes from): a day's road matrix
 * and how a planning problem's places point into it.
 */
import type { Job, LatLng, Problem, TravelMatrices, Vehicle } from '$lib/routing';

/** A day's road matrix and the positions its rows stand for. */
export interface DayTravel {
	points: LatLng[];
	matrices: TravelMatrices;
}

export const keyOf = (p: LatLng) => `${p.lat},${p.lng}`;

/**
 * The problem with every place pointing into the road matrix. Unchanged (positions, hence the
 * great-circle estimate) without travel or when a place is not in it.
 */
export function withTravel(problem: { jobs: Job[]; vehicles: Vehicle[] }, travel: DayTravel | undefined): Problem {
	if (!travel) return problem;
	const index = new Map(travel.points.map((p, i) => [keyOf(p), i]));
	const places = [...problem.jobs, ...problem.vehicles.flatMap((v) => [v.start, v.end])].filter((p) => p?.location);
	if (places.some((p) => !index.has(keyOf(p!.location!)))) return problem;
	const at = <T extends { location?: LatLng }>(p: T | undefined): T | undefined => (p?.location ? { ...p, locationIndex: index.get(keyOf(p.location)) } : p);
	return {
		jobs: problem.jobs.map((j) => at(j)!),
		vehicles: problem.vehicles.map((v) => ({ ...v, start: at(v.start), end: at(v.end) })),
		matrices: travel.matrices
	};
}

