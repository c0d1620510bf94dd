/**
 * Travel matrices: the "matrix provider" seam. The optimiser only ever sees square
 * travel-time and distance matrices; where they come from (caller, great-circle estimate,
 * later an OSRM table on the server) is decided here.
 */
import type { LatLng, TravelMatrices, TravelModel } from './types';

const EARTH_RADIUS_M = 6_371_008.8;

export function greatCircleMetres(a: LatLng, b: LatLng): number {
	const toRad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * toRad;
	const dLng = (b.lng - a.lng) * toRad;
	const h =
		Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Something that turns a list of points into travel matrices (may be remote, hence async). */
export type MatrixProvider = (points: LatLng[]) => TravelMatrices | Promise<TravelMatrices>;

/** Road estimate from positions: great-circle distance × detour factor ÷ speed. */
export function greatCircleMatrices(points: LatLng[], model: TravelModel = {}): TravelMatrices {
	const detour = model.detourFactor ?? 1.35;
	const metresPerTimeUnit = ((model.speedKmh ?? 25) * 1000) / (model.timeUnitsPerHour ?? 3600);
	const n = points.length;
	const durations: number[][] = [];
	const distances: number[][] = [];
	for (let i = 0; i < n; i++) {
		durations.push(new Array<number>(n).fill(0));
		distances.push(new Array<number>(n).fill(0));
	}
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const metres = greatCircleMetres(points[i], points[j]) * detour;
			distances[i][j] = distances[j][i] = metres;
			durations[i][j] = durations[j][i] = metres / metresPerTimeUnit;
		}
	}
	return { durations, distances };
}

export const greatCircleProvider =
	(model: TravelModel = {}): MatrixProvider =>
	(points) =>
		greatCircleMatrices(points, model);

/** Flat row-major matrices with one extra "nowhere" index (zero to and from everything). */
export interface FlatMatrices {
	/** Side length including the nowhere index. */
	size: number;
	nowhere: number;
	time: Float64Array;
	distance: Float64Array;
}

export function flattenMatrices(m: TravelMatrices): FlatMatrices {
	const n = m.durations.length;
	const size = n + 1;
	const time = new Float64Array(size * size);
	const distance = new Float64Array(size * size);
	const dist = m.distances ?? m.durations;
	if (dist.length !== n) throw new Error('distance and duration matrices differ in size');
	for (let i = 0; i < n; i++) {
		const tr = m.durations[i];
		const dr = dist[i];
		if (tr.length !== n || dr.length !== n) throw new Error(`matrix row ${i} is not of length ${n}`);
		for (let j = 0; j < n; j++) {
			time[i * size + j] = tr[j];
			distance[i * size + j] = dr[j];
		}
	}
	return { size, nowhere: n, time, distance };
}
