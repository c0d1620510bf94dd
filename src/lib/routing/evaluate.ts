/**
 * Evaluation of a candidate route for local search moves, written as
 *   prefix of route v up to position p  +  explicit "middle" nodes  +  suffix of route w from q.
 * Prefix and suffix cost O(1) thanks to the forward/backward data of RoutePlan; only the middle
 * (moved segments, reversed or shifted blocks) is walked. Cost is computed first and the time
 * check only runs for candidates that beat the caller's bound.
 */
import * as windows from './windows';
import type { RoutePlan } from './solution';

const earliestStart = windows.earliestStart;
const TIME_EPS = windows.TIME_EPS;

export class CandidateRoute {
	readonly mid: Int32Array;
	midLen = 0;
	/** Number of jobs in the last evaluated candidate. */
	jobs = 0;
	private readonly pending: Int32Array;
	private readonly plan: RoutePlan;

	constructor(plan: RoutePlan) {
		this.plan = plan;
		this.mid = new Int32Array(plan.capacity);
		this.pending = new Int32Array(Math.max(4, plan.m.breakCount + 1));
	}

	/** Set by evaluate() when it had to copy a foreign tail into `mid`. */
	private tailInMid = false;

	clear(): this {
		this.midLen = 0;
		this.tailInMid = false;
		return this;
	}

	/** Appends positions from..to (inclusive) of route r, forward. */
	pushRange(r: number, from: number, to: number): this {
		const nodes = this.plan.nodes[r];
		for (let i = from; i <= to; i++) this.mid[this.midLen++] = nodes[i];
		return this;
	}

	/** Appends positions from..to (inclusive) of route r, reversed. */
	pushReversed(r: number, from: number, to: number): this {
		const nodes = this.plan.nodes[r];
		for (let i = to; i >= from; i--) this.mid[this.midLen++] = nodes[i];
		return this;
	}

	/**
	 * Arc cost of the candidate route for vehicle v, or Infinity when it is infeasible or its
	 * arc cost is not below `bound`.
	 */
	evaluate(v: number, p: number, w: number, q: number, bound: number): number {
		const plan = this.plan;
		const m = plan.m;
		const J = m.jobCount;
		const JB = J + m.breakCount;
		const size = m.size;
		const dims = m.dims;
		if (w !== v) {
			// A tail from another route: O(1) only if it ends like ours and holds no restricted node.
			const n = plan.len[w];
			const restricted = plan.cumRestricted[w][n - 2] - plan.cumRestricted[w][q - 1];
			if (restricted > 0 || m.vehEndKey[w] !== m.vehEndKey[v]) {
				const nodes = plan.nodes[w];
				for (let i = q; i < n - 1; i++) {
					if (nodes[i] >= J) return Infinity; // breaks stay with their vehicle
					this.mid[this.midLen++] = nodes[i];
				}
				this.tailInMid = true;
				w = v;
				q = plan.len[v] - 1;
			}
		}
		const mid = this.mid;
		const midLen = this.midLen;
		const arc = m.arcCost;
		const rb = plan.realBefore[v][p];
		let loc = plan.locAt[v][rb];
		let cost = plan.cumCost[v][p];
		let jobs = plan.cumJobs[v][p];
		for (let i = 0; i < midLen; i++) {
			const node = mid[i];
			if (node < J) {
				jobs++;
				if (!m.compat[node * m.vehicleCount + v]) return Infinity;
			} else if (node < JB) continue;
			const l = m.nodeLoc[node];
			cost += arc[loc * size + l];
			loc = l;
		}
		const nextLoc = plan.locAt[w][q];
		cost += arc[loc * size + nextLoc] + plan.sufCost[w][q];
		if (!(cost < bound)) return Infinity;
		const wn = plan.len[w];
		jobs += plan.cumJobs[w][wn - 1] - plan.cumJobs[w][q - 1];
		this.jobs = jobs;

		if (dims > 0) {
			const lv = plan.cumLoad[v];
			const lw = plan.cumLoad[w];
			for (let d = 0; d < dims; d++) {
				let load = lv[p * dims + d] + lw[(wn - 1) * dims + d] - lw[(q - 1) * dims + d];
				for (let i = 0; i < midLen; i++) if (mid[i] < J) load += m.jobAmount[mid[i] * dims + d];
				if (load > m.vehCapacity[v * dims + d]) return Infinity;
			}
		}

		const time = m.matrices.time;
		const service = m.nodeService;
		const pending = this.pending;
		let pendingCount = 0;
		const nodesV = plan.nodes[v];
		for (let i = rb + 1; i <= p; i++) pending[pendingCount++] = nodesV[i];
		let t = plan.fwd[v][rb];
		loc = plan.locAt[v][rb];
		for (let i = 0; i < midLen; i++) {
			const node = mid[i];
			if (node >= J && node < JB) {
				pending[pendingCount++] = node;
				continue;
			}
			const l = m.nodeLoc[node];
			t += time[loc * size + l];
			for (let k = 0; k < pendingCount; k++) t = earliestStart(m, pending[k], t) + service[pending[k]];
			pendingCount = 0;
			t = earliestStart(m, node, t) + service[node];
			if (t === Infinity) return Infinity;
			loc = l;
		}
		t += time[loc * size + nextLoc];
		for (let k = 0; k < pendingCount; k++) t = earliestStart(m, pending[k], t) + service[pending[k]];
		return t <= plan.bwd[w][q] + TIME_EPS ? cost : Infinity;
	}

	/** Writes the evaluated candidate's full node sequence into `out`; returns its length. */
	materialise(v: number, p: number, w: number, q: number, out: Int32Array): number {
		const plan = this.plan;
		let n = 0;
		const nodesV = plan.nodes[v];
		for (let i = 0; i <= p; i++) out[n++] = nodesV[i];
		for (let i = 0; i < this.midLen; i++) out[n++] = this.mid[i];
		if (!this.tailInMid) {
			const nodesW = plan.nodes[w];
			for (let i = q; i < plan.len[w] - 1; i++) out[n++] = nodesW[i];
		}
		out[n++] = nodesV[plan.len[v] - 1];
		return n;
	}
}
