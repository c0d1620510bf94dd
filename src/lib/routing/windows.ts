/** Time-window lookups over the flat window arrays of a Model (several windows per node). */
import type { Model } from './model';

/**
 * Rounding slack for window ends: forward sums (t + travel) and backward differences
 * (due − travel) of the same doubles can disagree in the last bit, so an arrival a few ulps
 * past a window end still counts as inside it.
 */
export const TIME_EPS = 1e-9;

/** Earliest start ≥ t inside one of the node's windows (Infinity if none). */
export function earliestStart(m: Model, node: number, t: number): number {
	let w = m.twOffset[node];
	const end = w + m.twCount[node];
	for (; w < end; w++) {
		if (t <= m.twEnd[w] + TIME_EPS) return t > m.twStart[w] ? t : m.twStart[w];
	}
	return Infinity;
}

/** Latest start ≤ t inside one of the node's windows (-Infinity if none). */
export function latestStart(m: Model, node: number, t: number): number {
	const first = m.twOffset[node];
	for (let w = first + m.twCount[node] - 1; w >= first; w--) {
		if (t >= m.twStart[w]) return t < m.twEnd[w] ? t : m.twEnd[w];
	}
	return -Infinity;
}
