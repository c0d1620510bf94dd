/*
 * Runs the optimiser for the tablet's re-plan in a Web Worker (replan.worker.ts) with a short
 * budget; where a worker cannot start, on the main thread with the same budget. Browser only.
 */
import { solve, type Problem, type Solution } from '$lib/routing';

/** Short: the team is waiting at the door or in the car. */
export const REPLAN_BUDGET_MS = 1000;
/** A fixed seed: re-planning the same situation twice gives the same order. */
const SEED = 1;

export async function solveInWorker(problem: Problem, timeLimitMs = REPLAN_BUDGET_MS): Promise<Solution> {
	let worker: Worker;
	try {
		worker = new Worker(new URL('./replan.worker.ts', import.meta.url), { type: 'module' });
	} catch {
		return solve(problem, { timeLimitMs, seed: SEED });
	}
	try {
		return await new Promise<Solution>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('replan timeout')), timeLimitMs + 10_000);
			worker.onmessage = (e: MessageEvent<{ ok: boolean; solution?: Solution; error?: string }>) => {
				clearTimeout(timer);
				if (e.data.ok && e.data.solution) resolve(e.data.solution);
				else reject(new Error(e.data.error ?? 'replan failed'));
			};
			worker.onerror = (e) => {
				clearTimeout(timer);
				reject(new Error(e.message || 'replan worker failed'));
			};
			worker.postMessage({ problem, timeLimitMs, seed: SEED });
		});
	} finally {
		worker.terminate();
	}
}
