/**
 * Time to a plan for the home-visit case (60 visits, 6 teams, lunch breaks) inside a Web Worker
 * in headless Chromium: the optimiser as the browser runs it. Prints measured figures only.
 *   npm run bench:worker -- [--seconds 2] [--seed 1] [--runs 3]
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const seconds = Number(flag('seconds', '2'));
const seed = Number(flag('seed', '1'));
const runs = Number(flag('runs', '3'));

const bundle = await build({
	entryPoints: [path.join(import.meta.dirname, 'worker-entry.ts')],
	bundle: true,
	write: false,
	format: 'iife',
	target: 'es2022',
	minify: true
});
const workerCode = bundle.outputFiles[0].text;
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
	const page = await browser.newPage();
	const version = browser.version();
	console.log(`Home visits in a Chromium ${version} Web Worker: budget ${seconds} s, seed ${seed}, ${runs} runs, worker bundle ${(workerCode.length / 1024).toFixed(1)} KB`);
	for (let run = 1; run <= runs; run++) {
		const result = await page.evaluate(
			async ({ code, seed, timeLimitMs }) => {
				const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
				const worker = new Worker(url);
				const posted = performance.now();
				const answer = await new Promise<Record<string, unknown>>((resolve) => {
					worker.onmessage = (e) => resolve(e.data);
					worker.postMessage({ seed, timeLimitMs });
				});
				worker.terminate();
				return { ...answer, roundTripMs: performance.now() - posted };
			},
			{ code: workerCode, seed, timeLimitMs: seconds * 1000 }
		);
		console.log(
			`run ${run}: ${result.jobs} visits, ${result.teams} teams → plan in ${Math.round(result.ms as number)} ms inside the worker, ` +
				`${Math.round(result.roundTripMs as number)} ms round trip; ${result.iterations} iterations; ${result.unassigned} unassigned; ` +
				`drive ${Math.round((result.travelTime as number) / 60)} min; checker: ${result.feasible ? 'feasible' : 'INFEASIBLE'}`
		);
	}
} finally {
	await browser.close();
}
