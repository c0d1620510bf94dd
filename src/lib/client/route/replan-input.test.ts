import { describe, expect, it } from 'vitest';
import { checkSolution, greatCircleMetres, solve } from '$lib/routing';
import { buildReplanInput, toLocalPlan, type ReplanContext, type ReplanVisit } from './replan-input';

// Xiaoshan: the tablet near the outlet, stops west (W1, W2) and south-east (E).
const HERE = { lat: 30.1637, lng: 120.2659 };
const W1 = { lat: 30.1571, lng: 120.2578 };
const W2 = { lat: 30.1178, lng: 120.2146 };
const E = { lat: 30.1402, lng: 120.3012 };
const D = '2030-03-12';

const visit = (id: string, start: string, end: string, over: Partial<ReplanVisit> = {}): ReplanVisit => ({
	id,
	date: D,
	start,
	end,
	status: 'scheduled',
	requestStatus: 'approved',
	withdrawnAt: null,
	services: ['pin_reset'],
	location: W1,
	step: 'not_started',
	arrivedAt: null,
	...over
});
const ctx = (over: Partial<ReplanContext> = {}): ReplanContext => ({
	date: D,
	today: D,
	nowClock: '10:00',
	nowMs: Date.parse(`${D}T02:00:00Z`), // 10:00 Shanghai
	position: HERE,
	durations: new Map([['pin_reset', 20]]),
	...over
});

describe('the tablet re-plan input (pure)', () => {
	it('takes only the remaining visits of the day, from the tablet position, starting now', () => {
		const input = buildReplanInput(
			[
				visit('a', '10:00', '12:00'),
				visit('done', '09:00', '10:00', { step: 'completed' }),
				visit('visited', '09:00', '10:00', { status: 'visited' }),
				visit('cancelled', '13:00', '14:00', { requestStatus: 'cancelled' }),
				visit('withdrawn', '13:00', '14:00', { withdrawnAt: '2030-03-12T01:00:00Z' }),
				visit('other-day', '13:00', '14:00', { date: '2030-03-13' }),
				visit('no-pin', '15:00', '16:00', { location: null }),
				visit('b', '14:00', '16:00', { location: E, services: ['pin_reset', 'unknown'] })
			],
			ctx()
		)!;
		expect(input.problem.jobs.map((j) => j.id)).toEqual(['a', 'b']);
		expect(input.problem.jobs[1]).toMatchObject({ service: (20 + 30) * 60, timeWindows: [[14 * 3600, 16 * 3600]], location: E });
		// 10:00: lunch (11:30–12:30 start) is still ahead.
		expect(input.problem.vehicles[0]).toMatchObject({ start: { location: HERE }, shift: [10 * 3600, 24 * 3600], breaks: [{ id: 'lunch', duration: 3600 }] });
		expect(buildReplanInput([visit('a', '13:00', '14:00')], ctx({ nowClock: '12:00' }))!.problem.vehicles[0].breaks).toEqual([]);
		expect(input.from).toBe('position');
		expect(input.unplaced).toEqual([{ visitId: 'no-pin', reason: 'no_position' }]);
	});

	it('plans a later day from 08:30 with lunch, and nothing for a past day or an empty one', () => {
		const later = buildReplanInput([visit('a', '09:00', '10:00', { date: '2030-03-14' })], ctx({ date: '2030-03-14' }))!;
		expect(later.problem.vehicles[0].shift![0]).toBe(8.5 * 3600);
		expect(later.problem.vehicles[0].breaks).toHaveLength(1);
		expect(later.startClock).toBe('08:30');
		expect(buildReplanInput([visit('a', '09:00', '10:00', { date: '2030-03-11' })], ctx({ date: '2030-03-11' }))).toBeNull();
		expect(buildReplanInput([visit('a', '09:00', '10:00', { step: 'completed' })], ctx())).toBeNull();
	});

	it('starts after the visit in progress, at its place; without any position, at the first stop', () => {
		const arrivedAt = new Date(Date.parse(`${D}T02:00:00Z`) - 5 * 60_000).toISOString(); // 09:55
		const input = buildReplanInput([visit('here', '09:30', '10:30', { step: 'in_progress', arrivedAt }), visit('next', '10:00', '17:00', { location: W2 })], ctx())!;
		expect(input.currentVisitId).toBe('here');
		expect(input.from).toBe('current_visit');
		expect(input.problem.jobs.map((j) => j.id)).toEqual(['next']);
		// 20 min of service from 09:55 → free at 10:15
		expect(input.startClock).toBe('10:15');
		expect(input.problem.vehicles[0].start).toEqual({ location: W1 });

		const noGps = buildReplanInput([visit('a', '10:00', '12:00')], ctx({ position: null }))!;
		expect(noGps.from).toBe('first_stop');
		expect(noGps.problem.vehicles[0].start).toBeUndefined();
	});

	it('gives a feasible order that saves driving, and reports a window that can no longer be reached', () => {
		// Wide windows: the order is free, and the re-plan must find the shortest of the 6 orders.
		const visits = [visit('w1', '10:00', '16:00'), visit('e', '10:00', '16:00', { location: E }), visit('w2', '10:00', '16:00', { location: W2 }), visit('late', '08:30', '09:30')];
		const input = buildReplanInput(visits, ctx())!;
		const solution = solve(input.problem, { timeLimitMs: 1000, maxIterations: 200, seed: 1 });
		expect(checkSolution(input.problem, solution).ok).toBe(true);
		const plan = toLocalPlan(input, solution, D, '2030-03-12T02:00:00.000Z');
		const order = plan.stops.map((s) => s.visitId);
		expect(order).toHaveLength(3);
		const at = { w1: W1, e: E, w2: W2 } as Record<string, typeof W1>;
		const length = (ids: string[]) => ids.reduce((sum, id, i) => sum + greatCircleMetres(i === 0 ? HERE : at[ids[i - 1]], at[id]), 0);
		const orders = [['w1', 'e', 'w2'], ['w1', 'w2', 'e'], ['e', 'w1', 'w2'], ['e', 'w2', 'w1'], ['w2', 'w1', 'e'], ['w2', 'e', 'w1']];
		expect(length(order)).toBeCloseTo(Math.min(...orders.map(length)), 3);
		expect(plan.stops.map((s) => s.order)).toEqual([1, 2, 3]);
		for (const s of plan.stops) expect(s.arrival >= '10:00' && s.arrival <= '16:00').toBe(true);
		expect(plan.unplaced).toEqual([{ visitId: 'late', reason: 'no_window_reachable' }]);
	});

	it('keeps the visit in progress as stop 1 of the suggestion', () => {
		const input = buildReplanInput([visit('here', '09:30', '10:30', { step: 'arrived', arrivedAt: null }), visit('next', '10:00', '17:00', { location: W2 })], ctx())!;
		const plan = toLocalPlan(input, solve(input.problem, { maxIterations: 50, seed: 1 }), D, 'x');
		expect(plan.stops).toEqual([
			{ visitId: 'here', order: 1, arrival: '' },
			{ visitId: 'next', order: 2, arrival: expect.stringMatching(/^1\d:\d\d$/) }
		]);
	});

	it('with lunch and only morning stops, still plans them all (the break fits after the last)', () => {
		const later = { date: '2030-03-14' };
		const input = buildReplanInput([visit('a', '09:00', '10:00', later), visit('b', '10:00', '11:00', { ...later, location: W2 })], ctx(later))!;
		expect(input.problem.vehicles[0].breaks).toHaveLength(1);
		const solution = solve(input.problem, { maxIterations: 100, seed: 1 });
		expect(checkSolution(input.problem, solution).ok).toBe(true);
		expect(solution.unassigned).toEqual([]);
	});
});
