import { describe, expect, it } from 'vitest';
import { addDays, calendarFromDays, rollForward, shanghaiInstant } from '$lib/domain/calendar';
import type { SessionUser } from '$lib/server/auth/types';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { createUser } from '$lib/server/repos/users';
import { loadDispatchDay } from '$lib/server/planning/dispatch-board';
import { publishPlan } from '$lib/server/planning/publish';
import { planStillApplies } from '$lib/server/sync/field-plans';
import { pullChanges } from '$lib/server/sync/pull';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { actor, newRequestInput, seedDemo, today, sessionUserOf } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

const NEAR = { lat: 30.1571, lng: 120.2578 };
const FAR = { lat: 30.1178, lng: 120.2146 };

describe('a plan row applies only to the visit as planned (pure)', () => {
	const row = { date: '2030-03-12', lead_staff_id: 'a', second_staff_id: 'b' };
	const visit = (date: string, lead: string, second: string) => ({ date, lead: { id: lead, name: '' }, second: { id: second, name: '' } });
	it('same day and pair (in either role) → applies; another day or member → does not', () => {
		expect(planStillApplies(row, visit('2030-03-12', 'a', 'b'))).toBe(true);
		expect(planStillApplies(row, visit('2030-03-12', 'b', 'a'))).toBe(true);
		expect(planStillApplies(row, visit('2030-03-13', 'a', 'b'))).toBe(false);
		expect(planStillApplies(row, visit('2030-03-12', 'a', 'c'))).toBe(false);
	});
});

describe.each(DIALECTS)('published plans in the field pull on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	const sessionUser = (username: string): Promise<SessionUser> => sessionUserOf(t.db, username);

	it('publishing and re-publishing change what the tablet pulls: stop number and planned arrival', async () => {
		const head = await actor(t.db, 'head1');
		const [s1, s2] = await Promise.all([actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const extra = await Promise.all(
			['fp_a', 'fp_b'].map((u) => createUser(t.db, { username: `${u}_${dialect}`, displayName: u, passwordHash: 'x', role: 'field_staff', outletId: head.outletId }))
		);
		// A working day far from the demo visits; the tablet "pulls" the day before (inside its 14 days).
		const date = rollForward(addDays(today(), 45), calendarFromDays(await listCalendarDays(t.db)));
		const now = new Date(shanghaiInstant(addDays(date, -1), '18:00'));
		const team1 = { leadStaffId: s1.id, secondStaffId: s2.id };
		const team2 = { leadStaffId: extra[0].id, secondStaffId: extra[1].id };
		const book = async (location: typeof NEAR, start: string, end: string, team: typeof team1) => {
			const input = newRequestInput({ windows: [{ date, start, end }] });
			input.resident = { ...input.resident!, ...location };
			const r = await submitRequest(t.db, await actor(t.db, 'worker1'), input);
			return (await approveRequest(t.db, head, r.id, { date, start, end, ...team })).visit;
		};
		const morning = await book(NEAR, '09:00', '10:00', team1);
		const afternoon = await book(FAR, '14:00', '15:00', team1);
		const other = await book(NEAR, '10:30', '11:30', team2);

		const staff1 = await sessionUser('staff1');
		const first = await pullChanges(t.db, staff1, null, now);
		const mine = (r: typeof first) => new Map(r.visits.filter((v) => v.date === date).map((v) => [v.id, v]));
		expect(mine(first).get(morning.id)).toMatchObject({ plannedOrder: null, plannedArrival: null });

		// 1. The head publishes the day as booked: the tablet's next pull carries order and arrival.
		const day = await loadDispatchDay(t.db, head as never, date);
		const key1 = day.teams.find((tm) => tm.leadStaffId === s1.id)!.key;
		const key2 = day.teams.find((tm) => tm.leadStaffId === extra[0].id)!.key;
		const stops = (routes: Record<string, string[]>) => Object.entries(routes).flatMap(([teamKey, ids]) => ids.map((visitId) => ({ visitId, teamKey })));
		expect(await publishPlan(t.db, head as never, date, stops({ [key1]: [morning.id, afternoon.id], [key2]: [other.id] }), '调度优化', now)).toMatchObject({ ok: true });
		const second = await pullChanges(t.db, staff1, first.cursor, now);
		const got = mine(second);
		expect(got.get(morning.id)).toMatchObject({ plannedOrder: 1 });
		expect(got.get(afternoon.id)).toMatchObject({ plannedOrder: 2 });
		for (const v of got.values()) expect(v.plannedArrival! >= v.start && v.plannedArrival! <= v.end).toBe(true);

		// Nothing new since: an unchanged plan sends nothing.
		const third = await pullChanges(t.db, staff1, second.cursor, now);
		expect(mine(third).size).toBe(0);

		// 2. Re-published with the other team's visit moved into staff1's route: the afternoon
		// visit becomes stop 3 and the moved visit arrives as stop 2 (the visit rows of the
		// morning and afternoon visits did not change; only the plan did).
		expect(await publishPlan(t.db, head as never, date, stops({ [key1]: [morning.id, other.id, afternoon.id], [key2]: [] }), '调度优化', now)).toMatchObject({ ok: true, reassigned: 1 });
		const fourth = await pullChanges(t.db, staff1, third.cursor, now);
		const again = mine(fourth);
		expect(again.get(other.id)).toMatchObject({ plannedOrder: 2 });
		expect(again.get(afternoon.id)).toMatchObject({ plannedOrder: 3 });
		expect(again.has(morning.id)).toBe(false);
	});
});
