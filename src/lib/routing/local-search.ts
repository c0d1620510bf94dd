/**
 * Granular local search (first improvement) over pairs (u, v) where v is one of u's nearest
 * jobs: relocate / or-opt of 1–3 jobs, exchange and cross-exchange of 1–2-job segments,
 * 2-opt* (tail swap between routes) and intra-route 2-opt. Every candidate is checked through
 * CandidateRoute, i.e. with O(1) prefix/suffix data plus a walk over the changed middle only.
 */
import { CandidateRoute } from './evaluate';
import type { Rng } from './rng';
import type { RoutePlan } from './solution';

const IMPROVEMENT = 1e-9;

export class LocalSearch {
	private readonly plan: RoutePlan;
	private readonly rng: Rng;
	private readonly first: CandidateRoute;
	private readonly second: CandidateRoute;
	private readonly bufferA: Int32Array;
	private readonly bufferB: Int32Array;
	private readonly neighbourLimit: number;

	constructor(plan: RoutePlan, rng: Rng, neighbourLimit = 20) {
		this.plan = plan;
		this.rng = rng;
		this.first = new CandidateRoute(plan);
		this.second = new CandidateRoute(plan);
		this.bufferA = new Int32Array(plan.capacity);
		this.bufferB = new Int32Array(plan.capacity);
		this.neighbourLimit = Math.min(neighbourLimit, plan.m.neighbourCount);
	}

	/** Improves the plan until no move in the neighbourhood helps; returns moves applied. */
	run(maxPasses = 100): number {
		const plan = this.plan;
		const m = plan.m;
		const order: number[] = [];
		for (let j = 0; j < m.jobCount; j++) order.push(j);
		for (let i = order.length - 1; i > 0; i--) {
			const k = this.rng.int(i + 1);
			[order[i], order[k]] = [order[k], order[i]];
		}
		const K = this.neighbourLimit;
		const N = m.neighbourCount;
		let moves = 0;
		for (let pass = 0; pass < maxPasses; pass++) {
			let improved = false;
			for (const u of order) {
				for (let k = 0; k < K; k++) {
					if (plan.jobRoute[u] < 0) break;
					const v = m.neighbours[u * N + k];
					if (plan.jobRoute[v] < 0) continue;
					if (this.relocate(u, v) || this.exchange(u, v) || this.twoOptStar(u, v) || this.twoOpt(u, v)) {
						improved = true;
						moves++;
					}
				}
			}
			if (!improved) break;
		}
		return moves;
	}

	private movable(node: number): boolean {
		const m = this.plan.m;
		return node < m.jobCount && m.jobSequence[node] !== m.jobSequence[node];
	}

	/** Last position of a movable segment of `length` starting at p in route r, or -1. */
	private segmentEnd(r: number, p: number, length: number): number {
		const plan = this.plan;
		const last = p + length - 1;
		if (last > plan.len[r] - 2) return -1;
		for (let i = p; i <= last; i++) if (!this.movable(plan.nodes[r][i])) return -1;
		return last;
	}

	private routeCost(v: number, arcs: number, jobs: number): number {
		return jobs > 0 ? arcs + this.plan.m.vehFixedCost[v] : 0;
	}

	/** Arc-cost bound for an intra-route candidate of route a to be an improvement. */
	private intraBound(a: number): number {
		return this.plan.cumCost[a][this.plan.len[a] - 1] - IMPROVEMENT;
	}

	private applyOne(a: number, c: CandidateRoute, p: number, q: number): void {
		const n = c.materialise(a, p, a, q, this.bufferA);
		this.plan.setRoute(a, this.bufferA, n);
	}

	/** Evaluates two candidates (routes a and b) together and applies them if they improve. */
	private tryPair(a: number, pa: number, wa: number, qa: number, b: number, pb: number, wb: number, qb: number): boolean {
		const plan = this.plan;
		const old = plan.routeCost[a] + plan.routeCost[b];
		const arcsA = this.first.evaluate(a, pa, wa, qa, Infinity);
		if (arcsA === Infinity) return false;
		const costA = this.routeCost(a, arcsA, this.first.jobs);
		const arcsB = this.second.evaluate(b, pb, wb, qb, old - costA - IMPROVEMENT);
		if (arcsB === Infinity) return false;
		if (costA + this.routeCost(b, arcsB, this.second.jobs) >= old - IMPROVEMENT) return false;
		const na = this.first.materialise(a, pa, wa, qa, this.bufferA);
		const nb = this.second.materialise(b, pb, wb, qb, this.bufferB);
		plan.setRoute(a, this.bufferA, na);
		plan.setRoute(b, this.bufferB, nb);
		return true;
	}

	/** Moves 1–3 jobs starting at u to just after v or just before v. */
	private relocate(u: number, v: number): boolean {
		const plan = this.plan;
		const a = plan.jobRoute[u];
		const b = plan.jobRoute[v];
		const pu = plan.jobPos[u];
		for (let length = 1; length <= 3; length++) {
			const last = this.segmentEnd(a, pu, length);
			if (last < 0) return false;
			for (let side = 0; side < 2; side++) {
				const target = plan.jobPos[v] - side; // insert after this position
				if (a !== b) {
					this.first.clear();
					this.second.clear().pushRange(a, pu, last);
					if (this.tryPair(a, pu - 1, a, last + 1, b, target, b, target + 1)) return true;
				} else {
					if (target >= pu - 1 && target <= last) continue;
					const c = this.first.clear();
					let p: number;
					let q: number;
					if (target > last) {
						c.pushRange(a, last + 1, target).pushRange(a, pu, last);
						p = pu - 1;
						q = target + 1;
					} else {
						c.pushRange(a, pu, last).pushRange(a, target + 1, pu - 1);
						p = target;
						q = last + 1;
					}
					if (c.evaluate(a, p, a, q, this.intraBound(a)) < Infinity) {
						this.applyOne(a, c, p, q);
						return true;
					}
				}
			}
		}
		return false;
	}

	/** Swaps the segment of 1–2 jobs at u with the segment of 1–2 jobs at v. */
	private exchange(u: number, v: number): boolean {
		const plan = this.plan;
		const a = plan.jobRoute[u];
		const b = plan.jobRoute[v];
		const pu = plan.jobPos[u];
		const pv = plan.jobPos[v];
		for (let lu = 1; lu <= 2; lu++) {
			const endU = this.segmentEnd(a, pu, lu);
			if (endU < 0) break;
			for (let lv = 1; lv <= 2; lv++) {
				const endV = this.segmentEnd(b, pv, lv);
				if (endV < 0) break;
				if (a !== b) {
					this.first.clear().pushRange(b, pv, endV);
					this.second.clear().pushRange(a, pu, endU);
					if (this.tryPair(a, pu - 1, a, endU + 1, b, pv - 1, b, endV + 1)) return true;
					continue;
				}
				const [p1, e1, p2, e2] = pu < pv ? [pu, endU, pv, endV] : [pv, endV, pu, endU];
				if (e1 >= p2) continue;
				const c = this.first.clear().pushRange(a, p2, e2).pushRange(a, e1 + 1, p2 - 1).pushRange(a, p1, e1);
				if (c.evaluate(a, p1 - 1, a, e2 + 1, this.intraBound(a)) < Infinity) {
					this.applyOne(a, c, p1 - 1, e2 + 1);
					return true;
				}
			}
		}
		return false;
	}

	/** Swaps route tails: u→v (and u→successor of v) become adjacent. */
	private twoOptStar(u: number, v: number): boolean {
		const plan = this.plan;
		const a = plan.jobRoute[u];
		const b = plan.jobRoute[v];
		if (a === b) return false;
		const pu = plan.jobPos[u];
		const pv = plan.jobPos[v];
		this.first.clear();
		this.second.clear();
		if (this.tryPair(a, pu, b, pv, b, pv - 1, a, pu + 1)) return true;
		this.first.clear();
		this.second.clear();
		return this.tryPair(a, pu, b, pv + 1, b, pv, a, pu + 1);
	}

	/** Reverses the part of a route between u and v so that they become adjacent. */
	private twoOpt(u: number, v: number): boolean {
		const plan = this.plan;
		const a = plan.jobRoute[u];
		if (a !== plan.jobRoute[v]) return false;
		const pu = plan.jobPos[u];
		const pv = plan.jobPos[v];
		const [from, to] = pu < pv ? [pu + 1, pv] : [pv + 1, pu];
		if (to - from < 1) return false;
		const nodes = plan.nodes[a];
		const m = plan.m;
		for (let i = from; i <= to; i++) {
			if (nodes[i] < m.jobCount && m.jobSequence[nodes[i]] === m.jobSequence[nodes[i]]) return false;
		}
		const c = this.first.clear().pushReversed(a, from, to);
		if (c.evaluate(a, from - 1, a, to + 1, this.intraBound(a)) < Infinity) {
			this.applyOne(a, c, from - 1, to + 1);
			return true;
		}
		return false;
	}
}
