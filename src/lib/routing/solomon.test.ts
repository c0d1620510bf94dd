import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSolution, parseSolomon, solomonToProblem, solve } from './index';
import { SOLOMON_OBJECTIVE } from './solomon';

// Tests run from the project root; the shared data lives next to it.
const dataDir = process.env.VRPTW_DIR ?? join(process.cwd(), '../shared/bench/vrptw');
const load = (name: string) => solomonToProblem(parseSolomon(readFileSync(join(dataDir, 'solomon', `${name}.txt`), 'utf8')));

describe('Solomon instances', () => {
	it('parses the VEHICLE and CUSTOMER blocks (CRLF)', () => {
		const inst = parseSolomon(readFileSync(join(dataDir, 'solomon', 'C101.txt'), 'utf8'));
		expect(inst.vehicles).toBe(25);
		expect(inst.capacity).toBe(200);
		expect(inst.customers).toHaveLength(101);
		expect(inst.customers[0]).toMatchObject({ id: 0, x: 40, y: 50, due: 1236 });
	});

	for (const name of ['C101', 'R101', 'RC105', 'R211']) {
		it(`${name}: every customer served, solution passes the checker`, () => {
			const problem = load(name);
			const solution = solve(problem, { timeLimitMs: 700, seed: 7, objective: SOLOMON_OBJECTIVE });
			const check = checkSolution(problem, solution, SOLOMON_OBJECTIVE);
			expect(check.violations).toEqual([]);
			expect(solution.unassigned).toEqual([]);
			expect(solution.routes.length).toBeLessThanOrEqual(problem.vehicles.length);
			expect(solution.summary.distance).toBeGreaterThan(0);
		});
	}

	it('is deterministic for a seed and an iteration count', () => {
		const problem = load('RC105');
		const run = (seed: number) =>
			solve(problem, { seed, maxIterations: 400, timeLimitMs: 60_000, objective: SOLOMON_OBJECTIVE });
		const a = run(3);
		const b = run(3);
		expect(b.routes).toEqual(a.routes);
		expect(b.summary).toEqual(a.summary);
		expect(a.stats.iterations).toBe(400);
		expect(checkSolution(problem, a, SOLOMON_OBJECTIVE).ok).toBe(true);
	});
});
