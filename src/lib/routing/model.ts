/**
 * Compiles a public `Problem` into the flat, typed-array `Model` the search works on.
 *
 * Node numbering (one space for everything that can stand in a route):
 *   jobs 0..J-1, breaks J..J+B-1, vehicle v's start J+B+2v and end J+B+2v+1.
 * Every node has a matrix location (breaks: -1, they happen where the team is) and a list of
 * start windows stored flat in twStart/twEnd.
 */
import type { FlatMatrices } from './matrix';
import { resolvePlaces } from './places';
import type { Id, Objective, Problem, TimeWindow } from './types';

export interface Model {
	jobCount: number;
	breakCount: number;
	vehicleCount: number;
	nodeCount: number;
	dims: number;
	matrices: FlatMatrices;
	/** Objective cost of every arc (perDistance·distance + perTravelTime·time). */
	arcCost: Float64Array;
	size: number;

	nodeLoc: Int32Array;
	nodeService: Float64Array;
	twOffset: Int32Array;
	twCount: Int32Array;
	twStart: Float64Array;
	twEnd: Float64Array;

	jobAmount: Float64Array; // jobCount × dims
	jobPenalty: Float64Array; // objective cost of leaving the job unassigned
	jobLockedVehicle: Int32Array; // -1 when free
	jobSequence: Float64Array; // NaN unless order-locked
	/** 1 when the job may go to every vehicle (no skills, no lock): cheap inter-route checks. */
	jobFlexible: Uint8Array;
	compat: Uint8Array; // jobCount × vehicleCount

	breakVehicle: Int32Array;
	vehicleBreaks: number[][]; // node ids
	vehStart: Int32Array; // node id
	vehEnd: Int32Array; // node id
	vehCapacity: Float64Array; // vehicleCount × dims
	vehFixedCost: Float64Array;
	vehShiftStart: Float64Array;
	vehShiftEnd: Float64Array;
	/** Vehicles with equal endKey have the same end place and shift end: route tails can be swapped in O(1). */
	vehEndKey: Int32Array;
	/** Vehicles with equal profile are interchangeable when empty. */
	vehProfile: Int32Array;

	/** Per job, other jobs by increasing proximity. */
	neighbours: Int32Array;
	neighbourCount: number;

	jobIds: Id[];
	breakIds: Id[];
	vehicleIds: Id[];
	objective: Required<Objective>;
}

const ANY_TIME: TimeWindow = [-Infinity, Infinity];

function sortedWindows(windows: TimeWindow[] | undefined, what: string): TimeWindow[] {
	if (!windows || windows.length === 0) return [ANY_TIME];
	for (const [a, b] of windows) {
		if (!(a <= b)) throw new Error(`${what}: time window [${a}, ${b}] is empty`);
	}
	return [...windows].sort((x, y) => x[0] - y[0]);
}

export function resolveObjective(o: Objective | undefined): Required<Objective> {
	const perDistance = o?.perDistance ?? 0;
	const perTravelTime = o?.perTravelTime ?? (perDistance === 0 ? 1 : 0);
	return { perDistance, perTravelTime, perVehicle: o?.perVehicle ?? 0 };
}

export function compileModel(problem: Problem, objectiveInput?: Objective): Model {
	const objective = resolveObjective(objectiveInput);
	const { jobs, vehicles } = problem;
	const J = jobs.length;
	const V = vehicles.length;
	const { matrices, indexOf } = resolvePlaces(problem);
	const size = matrices.size;

	const vehicleIndex = new Map<Id, number>();
	vehicles.forEach((v, i) => {
		if (vehicleIndex.has(v.id)) throw new Error(`duplicate vehicle id ${v.id}`);
		vehicleIndex.set(v.id, i);
	});
	const jobIdSeen = new Set<Id>();
	for (const j of jobs) {
		if (jobIdSeen.has(j.id)) throw new Error(`duplicate job id ${j.id}`);
		jobIdSeen.add(j.id);
	}

	const breakIds: Id[] = [];
	const breakVehicleList: number[] = [];
	const vehicleBreaks: number[][] = vehicles.map(() => []);
	vehicles.forEach((v, vi) => {
		for (const b of v.breaks ?? []) {
			vehicleBreaks[vi].push(J + breakIds.length);
			breakIds.push(b.id);
			breakVehicleList.push(vi);
		}
	});
	const B = breakIds.length;
	const nodeCount = J + B + 2 * V;

	let dims = 0;
	for (const j of jobs) dims = Math.max(dims, j.amount?.length ?? 0);
	for (const v of vehicles) dims = Math.max(dims, v.capacity?.length ?? 0);

	const nodeLoc = new Int32Array(nodeCount);
	const nodeService = new Float64Array(nodeCount);
	const windowsPerNode: TimeWindow[][] = new Array(nodeCount);

	const jobAmount = new Float64Array(J * dims);
	const jobLockedVehicle = new Int32Array(J).fill(-1);
	const jobSequence = new Float64Array(J).fill(NaN);
	jobs.forEach((job, j) => {
		nodeLoc[j] = indexOf(job, `job ${job.id}`);
		nodeService[j] = job.service ?? 0;
		if (job.lock) {
			const v = vehicleIndex.get(job.lock.vehicle);
			if (v === undefined) throw new Error(`job ${job.id} is locked to unknown vehicle ${job.lock.vehicle}`);
			jobLockedVehicle[j] = v;
			if (job.lock.sequence !== undefined) jobSequence[j] = job.lock.sequence;
		}
		windowsPerNode[j] =
			job.lock?.start !== undefined
				? [[job.lock.start, job.lock.start]]
				: sortedWindows(job.timeWindows, `job ${job.id}`);
		(job.amount ?? []).forEach((a, d) => (jobAmount[j * dims + d] = a));
	});

	const vehStart = new Int32Array(V);
	const vehEnd = new Int32Array(V);
	const vehCapacity = new Float64Array(V * dims).fill(Infinity);
	const vehFixedCost = new Float64Array(V);
	const vehShiftStart = new Float64Array(V);
	const vehShiftEnd = new Float64Array(V);
	vehicles.forEach((v, vi) => {
		const [s, e] = v.shift ?? [0, Infinity];
		if (!(s <= e)) throw new Error(`vehicle ${v.id}: empty shift`);
		const startNode = J + B + 2 * vi;
		vehStart[vi] = startNode;
		vehEnd[vi] = startNode + 1;
		nodeLoc[startNode] = indexOf(v.start, `vehicle ${v.id} start`);
		nodeLoc[startNode + 1] = indexOf(v.end, `vehicle ${v.id} end`);
		windowsPerNode[startNode] = [[s, e]];
		windowsPerNode[startNode + 1] = [[s, e]];
		vehShiftStart[vi] = s;
		vehShiftEnd[vi] = e;
		vehFixedCost[vi] = (v.fixedCost ?? 0) + objective.perVehicle;
		(v.capacity ?? []).forEach((c, d) => (vehCapacity[vi * dims + d] = c));
		(v.breaks ?? []).forEach((b, k) => {
			const node = vehicleBreaks[vi][k];
			nodeLoc[node] = -1;
			nodeService[node] = b.duration;
			windowsPerNode[node] = sortedWindows(b.timeWindows, `break ${b.id}`);
		});
	});
	const breakVehicle = Int32Array.from(breakVehicleList);

	const twOffset = new Int32Array(nodeCount);
	const twCount = new Int32Array(nodeCount);
	let totalWindows = 0;
	for (let n = 0; n < nodeCount; n++) totalWindows += windowsPerNode[n].length;
	const twStart = new Float64Array(totalWindows);
	const twEnd = new Float64Array(totalWindows);
	let w = 0;
	for (let n = 0; n < nodeCount; n++) {
		twOffset[n] = w;
		twCount[n] = windowsPerNode[n].length;
		for (const [a, b] of windowsPerNode[n]) {
			twStart[w] = a;
			twEnd[w] = b;
			w++;
		}
	}

	const arcCost = new Float64Array(size * size);
	let maxArc = 0;
	for (let i = 0; i < size * size; i++) {
		arcCost[i] = objective.perDistance * matrices.distance[i] + objective.perTravelTime * matrices.time[i];
		if (arcCost[i] > maxArc && Number.isFinite(arcCost[i])) maxArc = arcCost[i];
	}

	const vehicleSkills = vehicles.map((v) => new Set((v.skills ?? []).map(String)));
	const compat = new Uint8Array(J * V);
	const jobFlexible = new Uint8Array(J);
	jobs.forEach((job, j) => {
		let all = jobLockedVehicle[j] < 0;
		for (let v = 0; v < V; v++) {
			const skillsOk = (job.skills ?? []).every((s) => vehicleSkills[v].has(String(s)));
			const lockOk = jobLockedVehicle[j] < 0 || jobLockedVehicle[j] === v;
			compat[j * V + v] = skillsOk && lockOk ? 1 : 0;
			if (!skillsOk) all = false;
		}
		jobFlexible[j] = all ? 1 : 0;
	});

	let maxFixed = 0;
	for (let v = 0; v < V; v++) maxFixed = Math.max(maxFixed, vehFixedCost[v]);
	// Dropping a job can save at most two arcs and a vehicle: make that never pay.
	const penaltyUnit = 10 * (2 * maxArc + maxFixed) + 1;
	const jobPenalty = new Float64Array(J);
	jobs.forEach((job, j) => (jobPenalty[j] = penaltyUnit * (1 + Math.max(0, job.priority ?? 0))));

	const keyIds = new Map<string, number>();
	const keyId = (key: string) => {
		let id = keyIds.get(key);
		if (id === undefined) keyIds.set(key, (id = keyIds.size));
		return id;
	};
	const vehEndKey = new Int32Array(V);
	const vehProfile = new Int32Array(V);
	const lockedVehicles = new Set(Array.from(jobLockedVehicle).filter((v) => v >= 0));
	for (let v = 0; v < V; v++) {
		const endKey = `${nodeLoc[vehEnd[v]]}|${vehShiftEnd[v]}`;
		vehEndKey[v] = keyId(`end:${endKey}`);
		const unique = vehicleBreaks[v].length > 0 || lockedVehicles.has(v);
		const caps = Array.from(vehCapacity.subarray(v * dims, v * dims + dims)).join(',');
		const skills = [...vehicleSkills[v]].sort().join(',');
		vehProfile[v] = unique
			? keyId(`unique:${v}`)
			: keyId(`p:${nodeLoc[vehStart[v]]}|${vehShiftStart[v]}|${endKey}|${caps}|${skills}|${vehFixedCost[v]}`);
	}

	const neighbourCount = Math.max(0, Math.min(J - 1, 100));
	const neighbours = new Int32Array(J * neighbourCount);
	const order: number[] = [];
	const proximity = new Float64Array(J);
	for (let i = 0; i < J; i++) {
		order.length = 0;
		const li = nodeLoc[i];
		for (let j = 0; j < J; j++) {
			if (j === i) continue;
			const lj = nodeLoc[j];
			proximity[j] = arcCost[li * size + lj] + arcCost[lj * size + li];
			order.push(j);
		}
		order.sort((a, b) => proximity[a] - proximity[b] || a - b);
		for (let k = 0; k < neighbourCount; k++) neighbours[i * neighbourCount + k] = order[k];
	}

	return {
		jobCount: J,
		breakCount: B,
		vehicleCount: V,
		nodeCount,
		dims,
		matrices,
		arcCost,
		size,
		nodeLoc,
		nodeService,
		twOffset,
		twCount,
		twStart,
		twEnd,
		jobAmount,
		jobPenalty,
		jobLockedVehicle,
		jobSequence,
		jobFlexible,
		compat,
		breakVehicle,
		vehicleBreaks,
		vehStart,
		vehEnd,
		vehCapacity,
		vehFixedCost,
		vehShiftStart,
		vehShiftEnd,
		vehEndKey,
		vehProfile,
		neighbours,
		neighbourCount,
		jobIds: jobs.map((j) => j.id),
		breakIds,
		vehicleIds: vehicles.map((v) => v.id),
		objective
	};
}
