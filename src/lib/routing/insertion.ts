/**
 * Cheapest feasible insertion of one job into one route. Shared by the regret construction
 * and by the recreate step of ruin-and-recreate (which "blinks": skips positions at random).
 */
import type { Rng } from './rng';
import type { RoutePlan } from './solution';

export interface InsertionResult {
	cost: number;
	pos: number;
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
	let first = 0;
	let last = plan.len[v] - 2;
	const seq = m.jobSequence[job];
	if (seq === seq) {
		// Keep ascending order among order-locked jobs of this vehicle.
		const nodes = plan.nodes[v];
		for (let p = 1; p < plan.len[v] - 1; p++) {
			const other = nodes[p];
			if (other >= m.jobCount) continue;
			const s = m.jobSequence[other];
			if (s !== s) continue;
			if (s <= seq) first = p;
			else if (last === plan.len[v] - 2 && p - 1 < last) last = p - 1;
		}
		if (first > last) return;
	}
	for (let p = first; p <= last; p++) {
		if (blinkRate > 0 && rng !== null && rng.next() < blinkRate) continue;
		const delta = plan.insertionDelta(v, p, job);
		if (delta < out.cost && plan.canInsert(v, p, job)) {
			out.cost = delta;
			out.pos = p;
		}
	}
}
