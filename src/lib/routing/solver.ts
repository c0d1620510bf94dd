/**
 * The search driver: construction, local search, then ruin-and-recreate under simulated
 * annealing until the time or iteration budget runs out; the best solution gets a final
 * local search. Everything random comes from one seeded Rng.
 */
import { construct } from './construct';
import { LocalSearch } from './local-search';
import type { Model } from './model';
import { Rng } from './rng';
import { RuinRecreate, DEFAULT_SISR, type SisrParams } from './ruin-recreate';
import { RoutePlan } from './solution';

export interface SearchOptions {
	timeLimitMs: number;
	maxIterations?: number;
	seed: number;
	now: () => number;
	/** Start and final temperature as fractions of the average arc cost of the first solution. */
	startTemperature?: number;
	finalTemperature?: number;
	sisr?: SisrParams;
	/** Run local search on every new best solution (default true). */
	polishRecords?: boolean;
}

export interface SearchResult {
	plan: RoutePlan;
	unassigned: number[];
	lockedFailed: number[];
	iterations: number;
	elapsedMs: number;
}

function penaltyOf(m: Model, jobs: number[]): number {
	let p = 0;
	for (const j of jobs) p += m.jobPenalty[j];
	return p;
}

export function search(m: Model, o: SearchOptions): SearchResult {
	const started = o.now();
	const rng = new Rng(o.seed);
	const plan = new RoutePlan(m);
	const { unassigned: firstUnassigned, lockedFailed } = construct(plan);
	const localSearch = new LocalSearch(plan, rng);
	localSearch.run();

	let unassigned = firstUnassigned.slice();
	let currentCost = plan.totalCost() + penaltyOf(m, unassigned);
	let best = plan.snapshot();
	let bestUnassigned = unassigned.slice();
	let bestCost = currentCost;

	// Saved copy of the current solution, so a rejected iteration only restores touched routes.
	const saved = plan.snapshot();
	let usedRoutes = 0;
	for (let v = 0; v < m.vehicleCount; v++) if (plan.jobsIn(v) > 0) usedRoutes++;
	const assigned = m.jobCount - unassigned.length;
	const averageArc = assigned > 0 ? plan.totalCost() / (assigned + usedRoutes) : 1;
	const t0 = (o.startTemperature ?? 20) * averageArc;
	const tf = (o.finalTemperature ?? 0.01) * averageArc;

	const rr = new RuinRecreate(plan, rng, o.sisr ?? DEFAULT_SISR);
	const limit = o.maxIterations ?? Infinity;
	let iterations = 0;
	const work: number[] = [];
	const assignedJobs = m.jobCount - lockedFailed.length;
	if (assignedJobs > 0 && m.vehicleCount > 0) {
		while (iterations < limit) {
			const elapsed = o.now() - started;
			if (elapsed >= o.timeLimitMs) break;
			const progress = Number.isFinite(limit) ? iterations / limit : elapsed / o.timeLimitMs;
			const temperature = t0 * Math.pow(tf / t0, progress);
			iterations++;

			rr.resetTouched();
			work.length = 0;
			rr.ruin(work);
			for (const j of unassigned) work.push(j);
			rr.recreate(work);
			const cost = plan.totalCost() + penaltyOf(m, work);
			// Threshold form of annealing acceptance (as in SISR): accept if below cost - T·ln(U).
			if (cost < currentCost - temperature * Math.log(rng.next())) {
				currentCost = cost;
				unassigned = work.slice();
				for (let v = 0; v < m.vehicleCount; v++) {
					if (rr.touched[v]) saved[v] = plan.nodes[v].slice(0, plan.len[v]);
				}
				if (cost < bestCost - 1e-9) {
					// Intensify around new records: polish them with local search first.
					if (o.polishRecords ?? true) {
						if (localSearch.run() > 0) {
							for (let v = 0; v < m.vehicleCount; v++) saved[v] = plan.nodes[v].slice(0, plan.len[v]);
							currentCost = plan.totalCost() + penaltyOf(m, unassigned);
						}
					}
					bestCost = currentCost;
					best = plan.snapshot();
					bestUnassigned = unassigned.slice();
				}
			} else {
				for (let v = 0; v < m.vehicleCount; v++) {
					if (!rr.touched[v]) continue;
					const nodes = plan.nodes[v];
					for (let p = 1; p < plan.len[v] - 1; p++) {
						if (nodes[p] < m.jobCount) plan.jobRoute[nodes[p]] = -1;
					}
				}
				for (let v = 0; v < m.vehicleCount; v++) {
					if (rr.touched[v]) plan.setRoute(v, saved[v], saved[v].length);
				}
			}
		}
	}

	plan.restore(best);
	unassigned = bestUnassigned;
	localSearch.run();
	// Local search never unassigns; try once more to place what is left.
	if (unassigned.length > 0) {
		const rest = unassigned.slice();
		rr.recreate(rest);
		unassigned = rest;
	}
	return { plan, unassigned, lockedFailed, iterations, elapsedMs: o.now() - started };
}
