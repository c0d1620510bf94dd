/**
 * Slack Induction by String Removals (Christiaens & Vanden Berghe, 2020):
 * ruin removes a few strings (or split strings) of consecutive jobs from routes near a random
 * seed job; recreate reinserts the removed and unassigned jobs greedily, in one of a few
 * orders, skipping each position with a small "blink" probability.
 */
import { bestInsertion, type InsertionResult } from './insertion';
import type { Rng } from './rng';
import type { RoutePlan } from './solution';

export interface SisrParams {
	/** Average number of removed jobs (c̄). */
	averageRemoved: number;
	/** Maximum string length (L_max). */
	maxStringLength: number;
	/** Probability of a split string instead of a plain string. */
	splitRate: number;
	/** Probability of growing the preserved part of a split string by one more job. */
	splitDepth: number;
	blinkRate: number;
}

export const DEFAULT_SISR: SisrParams = {
	averageRemoved: 10,
	maxStringLength: 10,
	splitRate: 0.5,
	splitDepth: 0.01,
	blinkRate: 0.01
};

export class RuinRecreate {
	private readonly plan: RoutePlan;
	private readonly rng: Rng;
	private readonly params: SisrParams;
	private readonly removable: Uint8Array;
	private readonly ruined: Uint8Array;
	private readonly sortKey: Float64Array;
	private readonly depotDistance: Float64Array;
	private readonly out: InsertionResult = { cost: Infinity, pos: -1 };
	private readonly candidate: Uint8Array;
	private readonly profileSeen: Int32Array;
	private stamp = 0;
	/** Routes changed since the last call to `resetTouched`. */
	readonly touched: Uint8Array;

	constructor(plan: RoutePlan, rng: Rng, params: SisrParams = DEFAULT_SISR) {
		this.plan = plan;
		this.rng = rng;
		this.params = params;
		const m = plan.m;
		this.removable = new Uint8Array(m.jobCount);
		for (let j = 0; j < m.jobCount; j++) this.removable[j] = m.jobLockedVehicle[j] < 0 ? 1 : 0;
		this.ruined = new Uint8Array(m.vehicleCount);
		this.touched = new Uint8Array(m.vehicleCount);
		this.sortKey = new Float64Array(m.jobCount);
		this.depotDistance = new Float64Array(m.jobCount);
		const depot = m.vehicleCount > 0 ? m.nodeLoc[m.vehStart[0]] : 0;
		for (let j = 0; j < m.jobCount; j++) this.depotDistance[j] = m.arcCost[depot * m.size + m.nodeLoc[j]];
		this.candidate = new Uint8Array(m.vehicleCount);
		this.profileSeen = new Int32Array(2 * m.vehicleCount + 2);
	}

	resetTouched(): void {
		this.touched.fill(0);
	}

	/** Removes strings of jobs; appends removed jobs to `removed`. */
	ruin(removed: number[]): void {
		const plan = this.plan;
		const m = plan.m;
		const rng = this.rng;
		let assigned = 0;
		let used = 0;
		for (let v = 0; v < m.vehicleCount; v++) {
			const k = plan.jobsIn(v);
			assigned += k;
			if (k > 0) used++;
		}
		if (assigned === 0) return;
		const averageCardinality = assigned / used;
		const maxLength = Math.min(this.params.maxStringLength, averageCardinality);
		const maxStrings = (4 * this.params.averageRemoved) / (1 + maxLength) - 1;
		const strings = Math.floor(rng.next() * maxStrings) + 1;

		let seed = rng.int(m.jobCount);
		for (let tries = 0; tries < m.jobCount && plan.jobRoute[seed] < 0; tries++) seed = (seed + 1) % m.jobCount;
		if (plan.jobRoute[seed] < 0) return;
		this.ruined.fill(0);
		let ruinedCount = 0;
		const K = m.neighbourCount;
		for (let k = -1; k < K && ruinedCount < strings; k++) {
			const c = k < 0 ? seed : m.neighbours[seed * K + k];
			const v = plan.jobRoute[c];
			if (v < 0 || this.ruined[v] || !this.removable[c]) continue;
			const cardinality = plan.jobsIn(v);
			const length = Math.floor(rng.next() * Math.min(cardinality, maxLength)) + 1;
			if (length < cardinality && rng.next() < this.params.splitRate) this.removeSplitString(v, c, length, removed);
			else this.removeString(v, c, length, removed);
			this.ruined[v] = 1;
			this.touched[v] = 1;
			ruinedCount++;
		}
	}

	private removeString(v: number, c: number, length: number, removed: number[]): void {
		const plan = this.plan;
		const n = plan.len[v];
		const pos = plan.jobPos[c];
		// Random string of `length` positions containing c, inside the interior 1..n-2.
		let start = pos - this.rng.int(length);
		start = Math.max(1, Math.min(start, n - 1 - length));
		this.removeRange(v, start, length, -1, 0, removed);
	}

	private removeSplitString(v: number, c: number, length: number, removed: number[]): void {
		const plan = this.plan;
		const n = plan.len[v];
		const cardinality = n - 2;
		let kept = 1;
		while (length + kept < cardinality && this.rng.next() < this.params.splitDepth) kept++;
		const span = length + kept;
		const pos = plan.jobPos[c];
		let start = pos - this.rng.int(span);
		start = Math.max(1, Math.min(start, n - 1 - span));
		const keptStart = start + this.rng.int(length + 1);
		this.removeRange(v, start, span, keptStart, kept, removed);
	}

	/** Removes removable jobs in positions [start, start+span) except [keptStart, keptStart+kept). */
	private removeRange(v: number, start: number, span: number, keptStart: number, kept: number, removed: number[]): void {
		const plan = this.plan;
		const m = plan.m;
		const nodes = plan.nodes[v];
		const n = plan.len[v];
		const before = removed.length;
		const original = nodes.slice(0, n);
		let w = start;
		const end = Math.min(start + span, plan.len[v] - 1);
		let r = start;
		for (; r < end; r++) {
			const node = nodes[r];
			const keep = (r >= keptStart && r < keptStart + kept) || node >= m.jobCount || !this.removable[node];
			if (keep) nodes[w++] = node;
			else {
				removed.push(node);
				plan.jobRoute[node] = -1;
				plan.jobPos[node] = -1;
			}
		}
		for (; r < n; r++) nodes[w++] = nodes[r];
		plan.len[v] = w;
		if (!plan.update(v)) {
			// Only possible when travel times break the triangle inequality: undo this removal.
			removed.length = before;
			plan.setRoute(v, original, n);
		}
	}

	/**
	 * Reinserts `jobs` (modified in place: ends with the jobs left unassigned).
	 * Orders: random 4, largest amount 4, farthest 2, closest 1 (weights from the paper).
	 */
	recreate(jobs: number[]): void {
		const plan = this.plan;
		const m = plan.m;
		const rng = this.rng;
		const key = this.sortKey;
		const r = rng.int(11);
		for (const j of jobs) {
			if (r < 4 || (r < 8 && m.dims === 0)) key[j] = rng.next();
			else if (r < 8) {
				let s = 0;
				for (let d = 0; d < m.dims; d++) s += m.jobAmount[j * m.dims + d];
				key[j] = -s;
			} else if (r < 10) key[j] = -this.depotDistance[j];
			else key[j] = this.depotDistance[j];
		}
		jobs.sort((a, b) => key[a] - key[b] || a - b);

		const V = m.vehicleCount;
		const out = this.out;
		const blink = this.params.blinkRate;
		let left = 0;
		for (let i = 0; i < jobs.length; i++) {
			const j = jobs[i];
			this.markCandidates();
			let bestCost = Infinity;
			let bestVehicle = -1;
			let bestPos = -1;
			for (let v = 0; v < V; v++) {
				if (!this.candidate[v]) continue;
				bestInsertion(plan, v, j, out, blink, rng);
				if (out.cost < bestCost) {
					bestCost = out.cost;
					bestVehicle = v;
					bestPos = out.pos;
				}
			}
			if (bestVehicle < 0) jobs[left++] = j;
			else {
				plan.insert(bestVehicle, bestPos, j);
				this.touched[bestVehicle] = 1;
			}
		}
		jobs.length = left;
	}

	/** Every used route, plus the first empty vehicle of each profile. */
	private markCandidates(): void {
		const plan = this.plan;
		const m = plan.m;
		const seen = this.profileSeen;
		const stamp = ++this.stamp;
		for (let v = 0; v < m.vehicleCount; v++) {
			if (plan.jobsIn(v) > 0) this.candidate[v] = 1;
			else {
				const p = m.vehProfile[v];
				this.candidate[v] = seen[p] === stamp ? 0 : 1;
				seen[p] = stamp;
			}
		}
	}
}
