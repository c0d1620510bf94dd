/**
 * Where things are: every place of a problem (jobs, team starts and ends) as an index into the
 * travel matrices — given ones, or great-circle ones built from positions.
 */
import { flattenMatrices, greatCircleMatrices, type FlatMatrices } from './matrix';
import type { Place, Problem } from './types';

/** Resolves every place to a matrix index, building great-circle matrices when none are given. */
export function resolvePlaces(problem: Problem): { matrices: FlatMatrices; indexOf: (p: Place | undefined, what: string) => number } {
	if (problem.matrices) {
		const matrices = flattenMatrices(problem.matrices);
		const n = matrices.nowhere;
		return {
			matrices,
			indexOf(p, what) {
				if (!p) return n;
				const i = p.locationIndex;
				if (i === undefined || !Number.isInteger(i) || i < 0 || i >= n) {
					throw new Error(`${what}: locationIndex must be an integer in [0, ${n}) when matrices are given`);
				}
				return i;
			}
		};
	}
	const points: { lat: number; lng: number }[] = [];
	const byKey = new Map<string, number>();
	const pointOf = (p: Place | undefined, what: string): number => {
		if (!p) return -1;
		if (!p.location) throw new Error(`${what}: needs a location when no matrices are given`);
		const key = `${p.location.lat},${p.location.lng}`;
		let i = byKey.get(key);
		if (i === undefined) {
			i = points.length;
			points.push(p.location);
			byKey.set(key, i);
		}
		return i;
	};
	const indices = new Map<Place, number>();
	const remember = (p: Place | undefined, what: string) => {
		if (p) indices.set(p, pointOf(p, what));
	};
	problem.jobs.forEach((j) => remember(j, `job ${j.id}`));
	problem.vehicles.forEach((v) => {
		remember(v.start, `vehicle ${v.id} start`);
		remember(v.end, `vehicle ${v.id} end`);
	});
	const matrices = flattenMatrices(greatCircleMatrices(points, problem.travel));
	return {
		matrices,
		indexOf: (p) => (p ? (indices.get(p) as number) : matrices.nowhere)
	};
}
