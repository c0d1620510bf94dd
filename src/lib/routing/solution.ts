/**
 * Mutable route state with the per-position data that makes move checks cheap.
 *
 * A route of vehicle v is `nodes[v][0..len-1]`: its start node, jobs and breaks, its end node.
 * Breaks have no place: by convention a team drives to the next stop first and takes the break
 * on arrival, before that stop's service (or before finishing at its end place). So a break's
 * effective location `locAt` is that of the next real stop.
 *
 * Per position p we keep (Vidal-style forward/backward data, generalised to several windows):
 * - fwd[p]  earliest departure from real node p (service end), Infinity if infeasible;
 * - bwd[p]  latest arrival at locAt[p] such that positions p..end are still feasible;
 * - cumCost / sufCost  arc cost of the prefix ending at p / suffix starting at p;
 * - cumLoad, cumJobs, cumRestricted  prefix sums of amounts, jobs and "pinned" nodes.
 * Waiting never hurts feasibility later on, so "arrive by bwd" is an exact O(1) test.
 */
import type { Model } from './model';
import * as windows from './windows';

// Local bindings: hot loops then call plain functions instead of module-namespace accessors.
const earliestStart = windows.earliestStart;
const latestStart = windows.latestStart;
const TIME_EPS = windows.TIME_EPS;

export class RoutePlan {
	readonly m: Model;
	readonly capacity: number;
	nodes: Int32Array[];
	len: Int32Array;
	fwd: Float64Array[];
	bwd: Float64Array[];
	locAt: Int32Array[];
	realBefore: Int32Array[];
	cumCost: Float64Array[];
	sufCost: Float64Array[];
	cumLoad: Float64Array[];
	cumJobs: Int32Array[];
	cumRestricted: Int32Array[];
	breakCount: Int32Array;
	routeCost: Float64Array;
	jobRoute: Int32Array;
	jobPos: Int32Array;

	constructor(m: Model) {
		this.m = m;
		const V = m.vehicleCount;
		this.capacity = m.jobCount + m.breakCount + 2;
		const cap = this.capacity;
		const arr = <T>(make: () => T): T[] => Array.from({ length: V }, make);
		this.nodes = arr(() => new Int32Array(cap));
		this.len = new Int32Array(V);
		this.fwd = arr(() => new Float64Array(cap));
		this.bwd = arr(() => new Float64Array(cap));
		this.locAt = arr(() => new Int32Array(cap));
		this.realBefore = arr(() => new Int32Array(cap));
		this.cumCost = arr(() => new Float64Array(cap));
		this.sufCost = arr(() => new Float64Array(cap));
		this.cumLoad = arr(() => new Float64Array(cap * Math.max(1, m.dims)));
		this.cumJobs = arr(() => new Int32Array(cap));
		this.cumRestricted = arr(() => new Int32Array(cap));
		this.breakCount = new Int32Array(V);
		this.routeCost = new Float64Array(V);
		this.jobRoute = new Int32Array(m.jobCount).fill(-1);
		this.jobPos = new Int32Array(m.jobCount).fill(-1);
		for (let v = 0; v < V; v++) {
			const nodes = this.nodes[v];
			let n = 0;
			nodes[n++] = m.vehStart[v];
			for (const b of m.vehicleBreaks[v]) nodes[n++] = b;
			nodes[n++] = m.vehEnd[v];
			this.len[v] = n;
			this.update(v);
		}
	}

	isBreak(node: number): boolean {
		return node >= this.m.jobCount && node < this.m.jobCount + this.m.breakCount;
	}

	earliestStartOf(node: number, t: number): number {
		return earliestStart(this.m, node, t);
	}

	jobsIn(v: number): number {
		return this.cumJobs[v][this.len[v] - 1];
	}

	/** Recomputes all per-position data of route v; returns whether it is feasible. */
	update(v: number): boolean {
		const m = this.m;
		const J = m.jobCount;
		const JB = J + m.breakCount;
		const size = m.size;
		const time = m.matrices.time;
		const arc = m.arcCost;
		const dims = m.dims;
		const nodes = this.nodes[v];
		const n = this.len[v];
		const locAt = this.locAt[v];
		const fwd = this.fwd[v];
		const bwd = this.bwd[v];
		const realBefore = this.realBefore[v];
		const cumCost = this.cumCost[v];
		const sufCost = this.sufCost[v];
		const cumLoad = this.cumLoad[v];
		const cumJobs = this.cumJobs[v];
		const cumRestricted = this.cumRestricted[v];

		let nextLoc = m.nodeLoc[nodes[n - 1]];
		for (let p = n - 1; p >= 0; p--) {
			const node = nodes[p];
			if (node < J || node >= JB) nextLoc = m.nodeLoc[node];
			locAt[p] = nextLoc;
		}

		fwd[0] = earliestStart(m, nodes[0], m.vehShiftStart[v]) + m.nodeService[nodes[0]];
		realBefore[0] = 0;
		cumCost[0] = 0;
		cumJobs[0] = 0;
		cumRestricted[0] = 0;
		for (let d = 0; d < dims; d++) cumLoad[d] = 0;
		let lastReal = 0;
		let breaks = 0;
		for (let p = 1; p < n; p++) {
			const node = nodes[p];
			const isJob = node < J;
			const isBreak = !isJob && node < JB;
			cumJobs[p] = cumJobs[p - 1] + (isJob ? 1 : 0);
			cumRestricted[p] = cumRestricted[p - 1] + (isBreak || (isJob && !m.jobFlexible[node]) ? 1 : 0);
			for (let d = 0; d < dims; d++) {
				cumLoad[p * dims + d] = cumLoad[(p - 1) * dims + d] + (isJob ? m.jobAmount[node * dims + d] : 0);
			}
			if (isBreak) {
				breaks++;
				realBefore[p] = lastReal;
				cumCost[p] = cumCost[lastReal];
				fwd[p] = NaN;
				continue;
			}
			const from = locAt[lastReal];
			const to = locAt[p];
			let t = fwd[lastReal] + time[from * size + to];
			for (let q = lastReal + 1; q < p; q++) {
				t = earliestStart(m, nodes[q], t) + m.nodeService[nodes[q]];
			}
			fwd[p] = earliestStart(m, node, t) + m.nodeService[node];
			realBefore[p] = p;
			cumCost[p] = cumCost[lastReal] + arc[from * size + to];
			lastReal = p;
		}
		this.breakCount[v] = breaks;

		bwd[n - 1] = latestStart(m, nodes[n - 1], Infinity);
		sufCost[n - 1] = 0;
		for (let p = n - 2; p >= 0; p--) {
			const node = nodes[p];
			if (node >= J && node < JB) {
				bwd[p] = latestStart(m, node, bwd[p + 1] - m.nodeService[node]);
				sufCost[p] = sufCost[p + 1];
			} else {
				const from = locAt[p];
				const to = locAt[p + 1];
				bwd[p] = latestStart(m, node, bwd[p + 1] - time[from * size + to] - m.nodeService[node]);
				sufCost[p] = sufCost[p + 1] + arc[from * size + to];
				if (node < J) {
					this.jobRoute[node] = v;
					this.jobPos[node] = p;
				}
			}
		}
		const jobs = cumJobs[n - 1];
		this.routeCost[v] = jobs > 0 ? cumCost[n - 1] + m.vehFixedCost[v] : 0;
		return fwd[n - 1] < Infinity;
	}

	/** Sum of route costs (without unassigned penalties). */
	totalCost(): number {
		let c = 0;
		for (let v = 0; v < this.m.vehicleCount; v++) c += this.routeCost[v];
		return c;
	}

	/** Whether all amounts of job j still fit into route v. */
	fitsCapacity(v: number, job: number): boolean {
		const dims = this.m.dims;
		if (dims === 0) return true;
		const load = this.cumLoad[v];
		const last = (this.len[v] - 1) * dims;
		for (let d = 0; d < dims; d++) {
			if (load[last + d] + this.m.jobAmount[job * dims + d] > this.m.vehCapacity[v * dims + d]) return false;
		}
		return true;
	}

	/** Cost change of inserting job after position p of route v (arc costs only + vehicle activation). */
	insertionDelta(v: number, p: number, job: number): number {
		const m = this.m;
		const size = m.size;
		const arc = m.arcCost;
		const locAt = this.locAt[v];
		const a = locAt[this.realBefore[v][p]];
		const b = locAt[p + 1];
		const l = m.nodeLoc[job];
		const d = arc[a * size + l] + arc[l * size + b] - arc[a * size + b];
		return this.routeCost[v] === 0 && this.jobsIn(v) === 0 ? d + this.cumCost[v][this.len[v] - 1] + m.vehFixedCost[v] : d;
	}

	/** O(1) (plus pending breaks) time feasibility of inserting job after position p of route v. */
	canInsert(v: number, p: number, job: number): boolean {
		const m = this.m;
		const size = m.size;
		const time = m.matrices.time;
		const locAt = this.locAt[v];
		const l = m.nodeLoc[job];
		const rb = this.realBefore[v][p];
		let t = this.fwd[v][rb] + time[locAt[rb] * size + l];
		if (rb !== p) {
			const nodes = this.nodes[v];
			for (let q = rb + 1; q <= p; q++) t = earliestStart(m, nodes[q], t) + m.nodeService[nodes[q]];
		}
		t = earliestStart(m, job, t) + m.nodeService[job];
		return t + time[l * size + locAt[p + 1]] <= this.bwd[v][p + 1] + TIME_EPS;
	}

	/** Inserts node after position p of route v and refreshes the route data. */
	insert(v: number, p: number, node: number): void {
		const nodes = this.nodes[v];
		nodes.copyWithin(p + 2, p + 1, this.len[v]);
		nodes[p + 1] = node;
		this.len[v]++;
		this.update(v);
	}

	/** Removes the node at position p of route v without refreshing (call update afterwards). */
	removeAt(v: number, p: number): number {
		const nodes = this.nodes[v];
		const node = nodes[p];
		nodes.copyWithin(p, p + 1, this.len[v]);
		this.len[v]--;
		if (node < this.m.jobCount) {
			this.jobRoute[node] = -1;
			this.jobPos[node] = -1;
		}
		return node;
	}

	/** Replaces route v by the given node sequence (including start and end) and refreshes. */
	setRoute(v: number, seq: ArrayLike<number>, count: number): boolean {
		const nodes = this.nodes[v];
		for (let i = 0; i < count; i++) nodes[i] = seq[i];
		this.len[v] = count;
		return this.update(v);
	}

	/** Copies job/break sequences of all routes (for best-solution snapshots). */
	snapshot(): Int32Array[] {
		return Array.from({ length: this.m.vehicleCount }, (_, v) => this.nodes[v].slice(0, this.len[v]));
	}

	restore(snap: Int32Array[]): void {
		this.jobRoute.fill(-1);
		this.jobPos.fill(-1);
		snap.forEach((seq, v) => this.setRoute(v, seq, seq.length));
	}
}
