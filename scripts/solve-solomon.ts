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

/**
 * Milliseconds since the outermost launcher of this run started (npm, npx or tsx), read from
 * /proc on Linux; elsewhere only this process's own uptime is known.
 */
function startupMs(): number {
	const own = process.uptime() * 1000;
	try {
		const uptimeMs = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
		const ticksPerSecond = 100; // USER_HZ on Linux
		let pid = process.pid;
		let spent = own;
		for (let level = 0; level < 6 && pid > 1; level++) {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (level > 0 && !/npm|npx|tsx|node|sh\0-c/.test(cmdline)) break;
			spent = Math.max(spent, uptimeMs - (Number(fields[19]) / ticksPerSecond) * 1000);
			pid = Number(fields[1]);
		}
		return spent;
	} catch {
		return own;
	}
}

// Keep a margin for the final polish, printing and process exit.
const marginMs = 250 + 0.03 * seconds * 1000;
const budgetMs = Math.max(20, seconds * 1000 - startupMs() - marginMs);

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
