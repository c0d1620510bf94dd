/**
 * Doorstep route optimiser: public entry point. Pure TypeScript, no DOM or Node APIs, so it
 * runs the same in a Web Worker and in Node.
 */
import { greatCircleMatrices, greatCircleProvider, greatCircleMetres, type MatrixProvider } from './matrix';
import { compileModel } from './model';
import { unassignedReason } from './reasons';
import { routeResult } from './schedule';
import { search } from './solver';
import { RoutePlan } from './solution';
import type { Problem, RouteResult, Solution, SolveOptions, UnassignedJob } from './types';

export type * from './types';
export { checkSolution, type CheckResult, type Violation, type ViolationCode } from './check';
export { parseSolomon, solomonToProblem, type SolomonInstance } from './solomon';
export { greatCircleMatrices, greatCircleProvider, greatCircleMetres, type MatrixProvider };

/** Solves a problem within `options.timeLimitMs` (default 1000 ms). Deterministic per seed and maxIterations. */
export function solve(problem: Problem, options: SolveOptions = {}): Solution {
	const model = compileModel(problem, options.objective);
	const seed = options.seed ?? 1;
	const limit = options.timeLimitMs ?? 1000;
	const result = search(model, {
		// Keep a little of the budget for the final polish and building the output.
		timeLimitMs: limit - Math.min(100, 0.05 * limit),
		maxIterations: options.maxIterations,
		seed,
		now: options.now ?? Date.now
	});
	const { plan } = result;
	const routes: RouteResult[] = [];
	for (let v = 0; v < model.vehicleCount; v++) {
		if (plan.jobsIn(v) === 0) continue;
		routes.push(routeResult(model, v, plan.nodes[v], plan.len[v]));
	}
	const emptyPlan = new RoutePlan(model);
	const locked = new Set(result.lockedFailed);
	const reasonFor = (j: number) => {
		const reason = unassignedReason(model, j, emptyPlan);
		return locked.has(j) && reason === 'no_room' ? 'locked_infeasible' : reason;
	};
	const unassigned: UnassignedJob[] = [...result.lockedFailed, ...result.unassigned]
		.sort((a, b) => a - b)
		.map((j) => ({
			id: model.jobIds[j],
			reason: reasonFor(j)
		}));
	const sum = (f: (r: RouteResult) => number) => routes.reduce((s, r) => s + f(r), 0);
	return {
		routes,
		unassigned,
		summary: {
			cost: sum((r) => r.cost),
			distance: sum((r) => r.distance),
			travelTime: sum((r) => r.travelTime),
			duration: sum((r) => r.duration),
			waiting: sum((r) => r.waiting),
			service: sum((r) => r.service),
			vehiclesUsed: routes.length,
			unassigned: unassigned.length
		},
		stats: { iterations: result.iterations, elapsedMs: result.elapsedMs, seed }
	};
}

/**
 * Resolves travel matrices through a provider (e.g. an OSRM table on the server) when the
 * problem has positions but no matrices, then solves.
 */
export async function solveWithProvider(
	problem: Problem,
	provider: MatrixProvider,
	options: SolveOptions = {}
): Promise<Solution> {
	if (problem.matrices) return solve(problem, options);
	const points: { lat: number; lng: number }[] = [];
	const indexOf = new Map<string, number>();
	const place = <T extends { location?: { lat: number; lng: number }; locationIndex?: number }>(p: T | undefined): T | undefined => {
		if (!p?.location) return p;
		const key = `${p.location.lat},${p.location.lng}`;
		let i = indexOf.get(key);
		if (i === undefined) {
			indexOf.set(key, (i = points.length));
			points.push(p.location);
		}
		return { ...p, locationIndex: i };
	};
	const jobs = problem.jobs.map((j) => place(j) as typeof j);
	const vehicles = problem.vehicles.map((v) => ({ ...v, start: place(v.start), end: place(v.end) }));
	const matrices = await provider(points);
	return solve({ ...problem, jobs, vehicles, matrices }, options);
}
