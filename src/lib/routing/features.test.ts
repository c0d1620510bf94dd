import { describe, expect, it } from 'vitest';
import { homeVisitsProblem } from './fixtures/home-visits';
import { checkSolution, solve } from './index';
import { TIME_EPS } from './windows';
import type { Job, Problem, SolveOptions, Vehicle } from './types';

/** Points on a plane; travel time = Euclidean distance. Index 0 is the depot. */
function planar(points: [number, number][], jobs: Omit<Job, 'locationIndex'>[], vehicles: Partial<Vehicle>[]): Problem {
	const matrix = points.map(([x1, y1]) => points.map(([x2, y2]) => Math.hypot(x1 - x2, y1 - y2)));
	return {
		jobs: jobs.map((j, i) => ({ ...j, locationIndex: i + 1 })),
		vehicles: vehicles.map((v, i) => ({
			id: v.id ?? `v${i + 1}`,
			start: { locationIndex: 0 },
			end: { locationIndex: 0 },
			shift: [0, 1000],
			...v
		})),
		matrices: { durations: matrix }
	};
}

const quick: SolveOptions = { timeLimitMs: 300, seed: 1 };

function solveChecked(problem: Problem, options: SolveOptions = quick) {
	const solution = solve(problem, options);
	expect(checkSolution(problem, solution, options.objective ?? {}).violations).toEqual([]);
	return solution;
}

const jobIds = (route: { steps: { type: string; id?: unknown }[] }) =>
	route.steps.filter((s) => s.type === 'job').map((s) => s.id);

describe('solve: edge cases and constraints', () => {
	it('handles empty input', () => {
		const solution = solveChecked({ jobs: [], vehicles: [] });
		expect(solution.routes).toEqual([]);
		expect(solution.unassigned).toEqual([]);
		expect(solution.summary.cost).toBe(0);
		const noJobs = solveChecked(planar([[0, 0]], [], [{}]));
		expect(noJobs.routes).toEqual([]);
	});

	it('leaves a job whose window cannot be reached unassigned, with the reason', () => {
		const problem = planar(
			[[0, 0], [10, 0], [100, 0]],
			[
				{ id: 'ok', timeWindows: [[0, 50]] },
				{ id: 'too-late', timeWindows: [[0, 50]] } // 100 away: arrives at 100 > 50
			],
			[{}]
		);
		const solution = solveChecked(problem);
		expect(solution.unassigned).toEqual([{ id: 'too-late', reason: 'no_window_reachable' }]);
		expect(jobIds(solution.routes[0])).toEqual(['ok']);
	});

	it('reports shift_too_short when the team cannot get back in time', () => {
		const problem = planar([[0, 0], [400, 0]], [{ id: 'far', service: 300 }], [{ shift: [0, 1000] }]);
		expect(solveChecked(problem).unassigned).toEqual([{ id: 'far', reason: 'shift_too_short' }]);
	});

	it('leaves a job needing a skill nobody has unassigned, with the reason', () => {
		const problem = planar(
			[[0, 0], [10, 0], [0, 10]],
			[{ id: 'a', skills: ['nurse'] }, { id: 'b', skills: ['sign-language'] }],
			[{ skills: ['nurse'] }, { skills: [] }]
		);
		const solution = solveChecked(problem);
		expect(solution.unassigned).toEqual([{ id: 'b', reason: 'no_team_with_skill' }]);
		expect(solution.routes.map((r) => [r.vehicle, jobIds(r)])).toEqual([['v1', ['a']]]);
	});

	it('respects capacity', () => {
		const points: [number, number][] = [[0, 0]];
		const jobs: Omit<Job, 'locationIndex'>[] = [];
		for (let i = 0; i < 12; i++) {
			points.push([10 * Math.cos(i / 2), 10 * Math.sin(i / 2)]);
			jobs.push({ id: i, amount: [3] });
		}
		const problem = planar(points, jobs, [{ capacity: [10] }, { capacity: [10] }, { capacity: [10] }, { capacity: [10] }]);
		const solution = solveChecked(problem);
		expect(solution.unassigned).toEqual([]);
		for (const r of solution.routes) expect(jobIds(r).length * 3).toBeLessThanOrEqual(10);
		expect(solution.routes.length).toBe(4);
		// Too big for any vehicle:
		const heavy = planar([[0, 0], [5, 5]], [{ id: 'piano', amount: [50] }], [{ capacity: [10] }]);
		expect(solveChecked(heavy).unassigned).toEqual([{ id: 'piano', reason: 'capacity' }]);
	});

	it('respects lunch breaks (home-visit case)', () => {
		const problem = homeVisitsProblem({ seed: 1 });
		const solution = solveChecked(problem, { timeLimitMs: 1000, seed: 2 });
		expect(solution.summary.unassigned).toBeLessThanOrEqual(2);
		for (const route of solution.routes) {
			const lunch = route.steps.filter((s) => s.type === 'break');
			const end = route.steps[route.steps.length - 1];
			// A route back before lunch closes skips it (taken after the route, at the outlet).
			if (lunch.length === 0) {
				expect(end.arrival).toBeLessThanOrEqual(12.5 * 3600 + TIME_EPS);
				continue;
			}
			expect(lunch).toHaveLength(1);
			// Times are sums of doubles: the solver and checker allow a window end to be met to the
			// last few ulps (windows.TIME_EPS), e.g. 45000.00000000001 for 12:30.
			expect(lunch[0].serviceStart).toBeGreaterThanOrEqual(11.5 * 3600 - TIME_EPS);
			expect(lunch[0].serviceStart).toBeLessThanOrEqual(12.5 * 3600 + TIME_EPS);
			expect(lunch[0].departure - lunch[0].serviceStart).toBe(3600);
		}
	});

	it('takes a break only when the route spans it (issue 13: lunch 11:30–12:30 after a last visit at 10:40)', () => {
		const h = (x: number) => x * 3600;
		// Travel 10 min each way; a 40-minute visit from 10:00; lunch must start 11:30–12:30.
		const team = { shift: [h(8), h(17)] as [number, number], breaks: [{ id: 'lunch', timeWindows: [[h(11.5), h(12.5)]] as [number, number][], duration: h(1) }] };
		const morning = planar([[0, 0], [h(1 / 6), 0]], [{ id: 'morning', service: h(2 / 3), timeWindows: [[h(10), h(10)]] }], [team]);
		const [route] = solveChecked(morning).routes;
		expect(route.steps.map((s) => s.type)).toEqual(['start', 'job', 'end']);
		const end = route.steps[2];
		expect(end.arrival).toBeCloseTo(h(10 + 2 / 3 + 1 / 6), 6); // back at 10:50, not 12:30
		expect(end.waiting).toBe(0);

		// A route still out at lunch time stops for it, inside its window.
		const allDay = planar([[0, 0], [h(1 / 6), 0], [0, h(1 / 6)]], [
			{ id: 'morning', service: h(2 / 3), timeWindows: [[h(10), h(10)]] },
			{ id: 'afternoon', service: h(2 / 3), timeWindows: [[h(14), h(14)]] }
		], [team]);
		const [full] = solveChecked(allDay).routes;
		const lunch = full.steps.filter((s) => s.type === 'break');
		expect(lunch).toHaveLength(1);
		expect(lunch[0].serviceStart).toBeGreaterThanOrEqual(h(11.5) - TIME_EPS);
		expect(lunch[0].serviceStart).toBeLessThanOrEqual(h(12.5) + TIME_EPS);

		// The checker still refuses a route that works through its lunch without a break.
		const skipped = { ...full, steps: full.steps.filter((s) => s.type !== 'break') };
		const violations = checkSolution(allDay, { ...solve(allDay, quick), routes: [skipped] }).violations.map((v) => v.code);
		expect(violations).toContain('break_missing');
	});

	it('keeps locked visits on their team, at their time and in their order', () => {
		const base = homeVisitsProblem({ seed: 5, visits: 30, teams: 3 });
		const jobs = base.jobs.map((j) => ({ ...j, skills: [] as string[] }));
		jobs[0] = { ...jobs[0], timeWindows: undefined, lock: { vehicle: 'team-2', start: 9 * 3600 + 1800 } };
		jobs[1] = { ...jobs[1], timeWindows: undefined, lock: { vehicle: 'team-3', sequence: 2 } };
		jobs[2] = { ...jobs[2], timeWindows: undefined, lock: { vehicle: 'team-3', sequence: 1 } };
		jobs[3] = { ...jobs[3], lock: { vehicle: 'team-1' } };
		const problem = { ...base, jobs };
		const solution = solveChecked(problem, { timeLimitMs: 600, seed: 4 });
		const routeOf = (id: unknown) => solution.routes.find((r) => jobIds(r).includes(id));
		expect(routeOf(jobs[0].id)?.vehicle).toBe('team-2');
		const fixed = routeOf(jobs[0].id)?.steps.find((s) => s.id === jobs[0].id);
		expect(fixed?.serviceStart).toBe(9 * 3600 + 1800);
		const team3 = jobIds(routeOf(jobs[1].id)!);
		expect(routeOf(jobs[1].id)?.vehicle).toBe('team-3');
		expect(team3.indexOf(jobs[2].id)).toBeLessThan(team3.indexOf(jobs[1].id));
		expect(routeOf(jobs[3].id)?.vehicle).toBe('team-1');
	});

	it('reports a locked visit that cannot be kept instead of moving it', () => {
		const problem = planar(
			[[0, 0], [10, 0]],
			[{ id: 'x', lock: { vehicle: 'v1', start: 5 } }], // 10 away, cannot start at 5
			[{ id: 'v1' }, { id: 'v2' }]
		);
		const solution = solveChecked(problem);
		expect(solution.routes).toEqual([]);
		expect(solution.unassigned.map((u) => u.id)).toEqual(['x']);
	});
});

describe('checkSolution', () => {
	const problem = planar(
		[[0, 0], [10, 0], [20, 0], [0, 10], [0, 20]],
		[
			{ id: 1, service: 5, timeWindows: [[0, 30]], amount: [4] },
			{ id: 2, service: 5, timeWindows: [[0, 60]], amount: [4] },
			{ id: 3, service: 5, timeWindows: [[0, 30]], amount: [4] },
			{ id: 4, service: 5, timeWindows: [[0, 60]], amount: [4] }
		],
		[{ capacity: [8] }, { capacity: [8] }]
	);
	const good = () => structuredClone(solveChecked(problem));

	it('accepts the optimiser output', () => {
		expect(checkSolution(problem, good()).ok).toBe(true);
	});

	it('detects a job served twice', () => {
		const s = good();
		s.routes[0].steps.splice(1, 0, structuredClone(s.routes[1].steps[1]));
		expect(checkSolution(problem, s).violations.map((v) => v.code)).toContain('job_duplicated');
	});

	it('detects a missing job', () => {
		const s = good();
		s.routes[0].steps.splice(1, 1);
		expect(checkSolution(problem, s).violations.map((v) => v.code)).toContain('job_missing');
	});

	it('detects a broken time window and an impossible arrival', () => {
		const s = good();
		const step = s.routes[0].steps[1];
		step.arrival = step.serviceStart = 0;
		step.departure = step.service;
		const codes = checkSolution(problem, s).violations.map((v) => v.code);
		expect(codes).toContain('travel');
		const late = good();
		const stop = late.routes[0].steps[2];
		stop.waiting += 100;
		stop.serviceStart += 100;
		stop.departure += 100;
		expect(checkSolution(problem, late).violations.map((v) => v.code)).toContain('time_window');
	});

	it('detects overloading and wrong totals', () => {
		const s = good();
		const moved = s.routes[1].steps.splice(1, 1)[0];
		s.routes[0].steps.splice(1, 0, moved);
		const codes = checkSolution(problem, s).violations.map((v) => v.code);
		expect(codes).toContain('capacity');
		const t = good();
		t.summary.distance += 1;
		expect(checkSolution(problem, t).violations.map((v) => v.code)).toEqual(['totals']);
	});

	it('detects a job given to a team without the skill', () => {
		const skilled = { ...problem, jobs: problem.jobs.map((j) => (j.id === 1 ? { ...j, skills: ['nurse'] } : j)) };
		const s = good();
		expect(checkSolution(skilled, s).violations.map((v) => v.code)).toContain('skill');
	});
});
