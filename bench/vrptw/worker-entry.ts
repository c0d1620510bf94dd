// Bundled by bench/vrptw/worker.ts into a Web Worker: solves the home-visit case on message.
import { checkSolution, solve } from '../../src/lib/routing/index';
import { homeVisitsProblem } from '../../src/lib/routing/fixtures/home-visits';

self.onmessage = (event: MessageEvent<{ seed: number; timeLimitMs: number; maxIterations?: number }>) => {
	const { seed, timeLimitMs, maxIterations } = event.data;
	const problem = homeVisitsProblem({ seed });
	const started = performance.now();
	const solution = solve(problem, { seed, timeLimitMs, maxIterations });
	const ms = performance.now() - started;
	const check = checkSolution(problem, solution);
	self.postMessage({ ms, iterations: solution.stats.iterations, unassigned: solution.summary.unassigned, travelTime: solution.summary.travelTime, feasible: check.ok, jobs: problem.jobs.length, teams: problem.vehicles.length });
};
