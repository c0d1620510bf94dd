/**
 * Solves one Solomon VRPTW file and prints only the routes, one line each:
 *   Route 1 : 12 5 7
 * Usage: npm run --silent solve:solomon -- FILE [--seconds S] [--seed N]
 * The whole run (process start-up included) stays within S seconds of wall time.
 */
import { readFileSync } from 'node:fs';
import { parseSolomon, solomonToProblem, solve } from '../src/lib/routing/index';
import { SOLOMON_OBJECTIVE } from '../src/lib/routing/solomon';

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
if (!file) {
	console.error('usage: solve-solomon FILE [--seconds S] [--seed N]');
	process.exit(2);
}
const seconds = Number(flag('seconds', '10'));
const seed = Number(flag('seed', '1'));

// Start-up before this line (npm, tsx, module loading) is already spent; npm and the tsx parent
// process are not visible from here, so keep a fixed margin for them plus a share for output.
const spentMs = process.uptime() * 1000;
const marginMs = 600 + 0.05 * seconds * 1000;
const budgetMs = Math.max(50, seconds * 1000 - spentMs - marginMs);

const problem = solomonToProblem(parseSolomon(readFileSync(file, 'utf8')));
const solution = solve(problem, { timeLimitMs: budgetMs, seed, objective: SOLOMON_OBJECTIVE });
const lines = solution.routes.map(
	(route, i) =>
		`Route ${i + 1} : ${route.steps
			.filter((s) => s.type === 'job')
			.map((s) => s.id)
			.join(' ')}`
);
process.stdout.write(lines.join('\n') + '\n');
