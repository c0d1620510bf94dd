/**
 * Solomon VRPTW benchmark: solves all instances in $VRPTW_DIR (default ../shared/bench/vrptw
 * relative to the project root) with a fixed budget, checks every solution with the independent
 * checker, and compares distances with best_known_distance_only_real.csv from the same folder.
 *
 *   npm run bench:vrptw -- [--seconds 2] [--seed 1] [--only R1]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSolution, parseSolomon, solomonToProblem, solve } from '../../src/lib/routing/index';
import { SOLOMON_OBJECTIVE } from '../../src/lib/routing/solomon';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = process.env.VRPTW_DIR ?? join(projectRoot, '../shared/bench/vrptw');

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const seconds = Number(flag('seconds', '2'));
const seed = Number(flag('seed', '1'));
const only = flag('only', '');

const bestKnown = new Map<string, { vehicles: number; distance: number }>();
for (const line of readFileSync(join(dataDir, 'best_known_distance_only_real.csv'), 'utf8').split(/\r?\n/).slice(1)) {
	const [name, vehicles, distance] = line.split(',');
	if (name) bestKnown.set(name, { vehicles: Number(vehicles), distance: Number(distance) });
}

const files = readdirSync(join(dataDir, 'solomon'))
	.filter((f) => f.toLowerCase().endsWith('.txt') && f.toUpperCase().startsWith(only.toUpperCase()))
	.sort();

interface Row {
	name: string;
	cls: string;
	vehicles: number;
	distance: number;
	gap: number;
	seconds: number;
	feasible: boolean;
}
const rows: Row[] = [];
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`Solomon VRPTW, distance objective, ${seconds} s per instance, seed ${seed}, data ${dataDir}`);
console.log(`${'instance'.padEnd(8)} ${pad('veh', 4)} ${pad('distance', 10)} ${pad('best', 10)} ${pad('gap %', 7)} ${pad('time s', 7)} ${pad('iters', 8)}  check`);
for (const file of files) {
	const started = Date.now();
	const text = readFileSync(join(dataDir, 'solomon', file), 'utf8');
	const instance = parseSolomon(text);
	const problem = solomonToProblem(instance);
	const solution = solve(problem, {
		timeLimitMs: seconds * 1000 - 20, // solve() itself keeps a reserve for its final polish
		seed,
		objective: SOLOMON_OBJECTIVE
	});
	const elapsed = (Date.now() - started) / 1000;
	const check = checkSolution(problem, solution, SOLOMON_OBJECTIVE);
	const name = file.replace(/\.txt$/i, '').toUpperCase();
	const bk = bestKnown.get(name);
	const complete = solution.unassigned.length === 0;
	const distance = solution.summary.distance;
	const gap = bk ? (100 * (distance - bk.distance)) / bk.distance : NaN;
	const feasible = check.ok && complete;
	rows.push({ name, cls: name.replace(/^([A-Z]+\d).*/, '$1'), vehicles: solution.routes.length, distance, gap, seconds: elapsed, feasible });
	console.log(
		`${name.padEnd(8)} ${pad(solution.routes.length, 4)} ${pad(distance.toFixed(2), 10)} ${pad(bk ? bk.distance.toFixed(2) : '?', 10)} ${pad(gap.toFixed(2), 7)} ${pad(elapsed.toFixed(2), 7)} ${pad(solution.stats.iterations, 8)}  ${feasible ? 'ok' : `FAIL ${complete ? '' : `${solution.unassigned.length} unassigned `}${check.violations.slice(0, 3).map((v) => v.message).join('; ')}`}`
	);
}

const summarise = (label: string, group: Row[]) => {
	if (group.length === 0) return;
	const avg = (f: (r: Row) => number) => group.reduce((s, r) => s + f(r), 0) / group.length;
	const total = (f: (r: Row) => number) => group.reduce((s, r) => s + f(r), 0);
	console.log(
		`${label.padEnd(8)} ${pad(group.length, 3)} inst  vehicles ${pad(total((r) => r.vehicles), 4)}  distance ${pad(total((r) => r.distance).toFixed(2), 10)}  avg gap ${pad(avg((r) => r.gap).toFixed(2), 6)} %  max gap ${pad(Math.max(...group.map((r) => r.gap)).toFixed(2), 6)} %  avg time ${avg((r) => r.seconds).toFixed(2)} s  feasible ${group.filter((r) => r.feasible).length}/${group.length}`
	);
};
console.log('');
for (const cls of ['C1', 'C2', 'R1', 'R2', 'RC1', 'RC2']) summarise(cls, rows.filter((r) => r.cls === cls));
summarise('all', rows);
if (rows.some((r) => !r.feasible)) process.exitCode = 1;
