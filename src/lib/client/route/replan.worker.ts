/// <reference lib="webworker" />
// The tablet's re-plan runs here, off the main thread, so the page stays responsive for the
// optimiser's whole budget. Loaded by run-replan.ts; precached with the app's code.
import { solve, type Problem } from '$lib/routing';

self.onmessage = (event: MessageEvent<{ problem: Problem; timeLimitMs: number; seed: number }>) => {
	const { problem, timeLimitMs, seed } = event.data;
	try {
		self.postMessage({ ok: true, solution: solve(problem, { timeLimitMs, seed }) });
	} catch (err) {
		self.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
	}
};
