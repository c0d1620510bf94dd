/**
 * Home-visit-sized case (60 visits, 6 teams, Xiaoshan) solved in Node, with timing.
 *   npm run bench:homevisits -- [--seconds 2] [--seed 1]
 */
import { checkSolution, solve } from '../../src/lib/routing/index';
import { homeVisitsProblem } from '../../src/lib/routing/fixtures/home-visits';

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const seconds = Number(flag('seconds', '2'));
const seed = Number(flag('seed', '1'));
const clock = (s: number) =>
	`${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
const minutes = (s: number) => `${Math.round(s / 60)} min`;

const problem = homeVisitsProblem({ seed });
const started = Date.now();
const solution = solve(problem, { timeLimitMs: seconds * 1000, seed });
const elapsed = Date.now() - started;
const check = checkSolution(problem, solution);

console.log(`Home visits (Xiaoshan): ${problem.jobs.length} visits, ${problem.vehicles.length} teams, budget ${seconds} s, seed ${seed}`);
for (const r of solution.routes) {
	const stops = r.steps.filter((s) => s.type === 'job').length;
	const lunch = r.steps.find((s) => s.type === 'break');
	console.log(
		`${String(r.vehicle).padEnd(8)} ${String(stops).padStart(2)} visits  ${clock(r.steps[0].departure)}–${clock(r.steps[r.steps.length - 1].arrival)}  ` +
			`drive ${minutes(r.travelTime).padStart(7)}  ${(r.distance / 1000).toFixed(1).padStart(5)} km  wait ${minutes(r.waiting).padStart(7)}  lunch ${lunch ? clock(lunch.serviceStart) : '—'}`
	);
}
const s = solution.summary;
console.log(
	`total: ${problem.jobs.length - s.unassigned} assigned, ${s.unassigned} unassigned` +
		`${solution.unassigned.length ? ` (${solution.unassigned.map((u) => `${u.id}: ${u.reason}`).join(', ')})` : ''}; ` +
		`drive ${minutes(s.travelTime)}, ${(s.distance / 1000).toFixed(1)} km, wait ${minutes(s.waiting)}`
);
console.log(`solve time ${elapsed} ms (${solution.stats.iterations} iterations); checker: ${check.ok ? 'feasible' : check.violations.map((v) => v.message).join('; ')}`);
if (!check.ok) process.exitCode = 1;
