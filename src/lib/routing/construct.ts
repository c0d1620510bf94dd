/**
 * Initial solution: locked jobs first (into their vehicle, in their sequence), then regret
 * insertion (regret-3) of everything else. Identical empty vehicles are represented by one
 * of them so that regret values are not flattened by duplicates.
 */
import { bestInsertion, type InsertionResult } from './insertion';
import type { RoutePlan } from './solution';

/** Returns the jobs that could not be placed (locked ones first in the list are flagged). */
export function construct(plan: RoutePlan): { unassigned: number[]; lockedFailed: number[] } {
	const m = plan.m;
	const J = m.jobCount;
	const V = m.vehicleCount;
	const out: InsertionResult = { cost: Infinity, pos: -1 };
	const lockedFailed: number[] = [];

	const locked: number[] = [];
	const free: number[] = [];
	for (let j = 0; j < J; j++) (m.jobLockedVehicle[j] >= 0 ? locked : free).push(j);
	// Order-locked jobs in sequence, then fixed-time ones by time, then the rest.
	const seqKey = (j: number) => (m.jobSequence[j] === m.jobSequence[j] ? m.jobSequence[j] : Infinity);
	locked.sort((a, b) => seqKey(a) - seqKey(b) || m.twStart[m.twOffset[a]] - m.twStart[m.twOffset[b]] || a - b);
	for (const j of locked) {
		const v = m.jobLockedVehicle[j];
		bestInsertion(plan, v, j, out);
		if (out.pos < 0) lockedFailed.push(j);
		else plan.insert(v, out.pos, j);
	}

	const pending = new Set(free);
	const costs = new Float64Array(J * V).fill(Infinity);
	const positions = new Int32Array(J * V).fill(-1);
	const candidate = new Uint8Array(V);
	const refreshCandidates = () => {
		const seenEmptyProfile = new Set<number>();
		for (let v = 0; v < V; v++) {
			if (plan.jobsIn(v) > 0) candidate[v] = 1;
			else if (!seenEmptyProfile.has(m.vehProfile[v])) {
				seenEmptyProfile.add(m.vehProfile[v]);
				candidate[v] = 1;
			} else candidate[v] = 0;
		}
	};
	const evaluate = (j: number, v: number) => {
		if (candidate[v]) bestInsertion(plan, v, j, out);
		else out.cost = Infinity;
		costs[j * V + v] = out.cost;
		positions[j * V + v] = out.pos;
	};
	refreshCandidates();
	for (const j of pending) for (let v = 0; v < V; v++) evaluate(j, v);

	const unassigned: number[] = [];
	while (pending.size > 0) {
		let bestJob = -1;
		let bestRegret = -Infinity;
		let bestCost = Infinity;
		let bestVehicle = -1;
		for (const j of pending) {
			let c1 = Infinity;
			let c2 = Infinity;
			let c3 = Infinity;
			let v1 = -1;
			for (let v = 0; v < V; v++) {
				const c = costs[j * V + v];
				if (c < c1) {
					c3 = c2;
					c2 = c1;
					c1 = c;
					v1 = v;
				} else if (c < c2) {
					c3 = c2;
					c2 = c;
				} else if (c < c3) c3 = c;
			}
			if (v1 < 0) continue;
			// Missing alternatives count as the unassigned penalty: such jobs are urgent.
			const pen = m.jobPenalty[j];
			const regret = (c2 === Infinity ? pen : c2 - c1) + (c3 === Infinity ? pen : c3 - c1);
			if (regret > bestRegret || (regret === bestRegret && c1 < bestCost)) {
				bestRegret = regret;
				bestCost = c1;
				bestJob = j;
				bestVehicle = v1;
			}
		}
		if (bestJob < 0) {
			unassigned.push(...pending);
			break;
		}
		pending.delete(bestJob);
		const wasEmpty = plan.jobsIn(bestVehicle) === 0;
		plan.insert(bestVehicle, positions[bestJob * V + bestVehicle], bestJob);
		if (wasEmpty) {
			const before = Uint8Array.from(candidate);
			refreshCandidates();
			for (let v = 0; v < V; v++) {
				if (v === bestVehicle || candidate[v] !== before[v]) for (const j of pending) evaluate(j, v);
			}
		} else {
			for (const j of pending) evaluate(j, bestVehicle);
		}
	}
	return { unassigned: unassigned.sort((a, b) => a - b), lockedFailed };
}
