/**
 * Cheapest feasible insertion of one job into one route. Shared by the regret construction
 * and by the recreate step of ruin-and-recreate (which "blinks": skips positions at random).
 * This is the innermost loop of the search, hence the hand-inlined fast path.
 */
import * as windows from './windows';

const TIME_EPS = windows.TIME_EPS;
import type { Rng } from './rng';
import type { RoutePlan } from './solution';

export interface InsertionResult {
	cost: number;
	pos: number;
}

/** Positions to skip until the next blink: geometric with success probability `rate`. */
function blinkGap(rate: number, rng: Rng | null): number {
	if (rate <= 0 || rng === null) return Infinity;
	return Math.floor(Math.log(1 - rng.next()) / Math.log(1 - rate));
}

/**
 * Writes the cheapest feasible position of `job` in route v into `out` (cost Infinity if none).
 * Positions are "after p". Cost is checked before time windows since it is the cheaper test.
 * Order-locked jobs (lock.sequence) restrict positions to keep the sequence.
 */
export function bestInsertion(
	plan: RoutePlan,
	v: number,
	job: number,
	out: InsertionResult,
	blinkRate = 0,
	rng: Rng | null = null
): void {
	out.cost = Infinity;
	out.pos = -1;
	const m = plan.m;
	if (!m.compat[job * m.vehicleCount + v] || !plan.fitsCapacity(v, job)) return;
	const n = plan.len[v];
	let first = 0;
	let last = n - 2;
	const seq = m.jobSequence[job];
	if (seq === seq) {
		// Keep ascending order among order-locked jobs of this vehicle.
		const nodes = plan.nodes[v];
		for (let p = 1; p < n - 1; p++) {
			const other = nodes[p];
			if (other >= m.jobCount) continue;
			const s = m.jobSequence[other];
			if (s !== s) continue;
			if (s <= seq) first = p;
			else if (last === n - 2 && p - 1 < last) last = p - 1;
		}
		if (first > last) return;
	}
	// Departures only grow along a route: past the job's last window end nothing fits.
	const lastWindowEnd = m.twEnd[m.twOffset[job] + m.twCount[job] - 1] + TIME_EPS;
	const fwd = plan.fwd[v];
	let blinkAt = first + blinkGap(blinkRate, rng);

	if (plan.breakCount[v] > 0) {
		for (let p = first; p <= last; p++) {
			if (p === blinkAt) {
				blinkAt = p + 1 + blinkGap(blinkRate, rng);
				continue;
			}
			const delta = plan.insertionDelta(v, p, job);
			if (delta < out.cost && plan.canInsert(v, p, job)) {
				out.cost = delta;
				out.pos = p;
			}
		}
		return;
	}

	const size = m.size;
	const arc = m.arcCost;
	const time = m.matrices.time;
	const locAt = plan.locAt[v];
	const bwd = plan.bwd[v];
	const l = m.nodeLoc[job];
	const row = l * size;
	const service = m.nodeService[job];
	const singleWindow = m.twCount[job] === 1;
	const windowStart = m.twStart[m.twOffset[job]];
	const base = plan.jobsIn(v) === 0 ? plan.cumCost[v][n - 1] + m.vehFixedCost[v] : 0;
	let best = Infinity;
	let bestPos = -1;
	let a = locAt[first];
	for (let p = first; p <= last; p++) {
		const b = locAt[p + 1];
		if (fwd[p] > lastWindowEnd) break;
		if (p === blinkAt) {
			blinkAt = p + 1 + blinkGap(blinkRate, rng);
			a = b;
			continue;
		}
		const aRow = a * size;
		const delta = arc[aRow + l] + arc[row + b] - arc[aRow + b] + base;
		if (delta < best) {
			let t = fwd[p] + time[aRow + l];
			if (singleWindow) {
				if (t < windowStart) t = windowStart;
				else if (t > lastWindowEnd) {
					a = b;
					continue;
				}
			} else {
				t = plan.earliestStartOf(job, t);
			}
			if (t + service + time[row + b] <= bwd[p + 1] + TIME_EPS) {
				best = delta;
				bestPos = p;
			}
		}
		a = b;
	}
	out.cost = best;
	out.pos = bestPos;
}
