import { describe, expect, it } from 'vitest';
import { addDays, calendarFromDays, rollForward } from '$lib/domain/calendar';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { createUser } from '$lib/server/repos/users';
import { getVisit } from '$lib/server/repos/visits';
import { optimiseDay } from '$lib/server/planning/dispatch';
import { loadDispatchDay } from '$lib/server/planning/dispatch-board';
import { readPublishedPlan } from '$lib/server/planning/plan-store';
import { publishPlan } from '$lib/server/planning/publish';
import { movedIntoClashes } from '$lib/server/planning/staff-clashes';
import { suggestSlots, type DayVisit, type SuggestInput } from '$lib/server/planning/suggest';
import { loadSlotSuggestions } from '$lib/server/planning/suggest-loader';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { actor, newRequestInput, seedDemo, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

// Positions in Xiaoshan: the 城厢 outlet, a cluster next to it (A) and one ~8 km away (B).
const OUTLET = { lat: 30.1637, lng: 120.2659 };
const NEAR = { lat: 30.1571, lng: 120.2578 };
const FAR = { lat: 30.1178, lng: 120.2146 };

describe('slot suggestions: ranking and infeasibility (pure)', () => {
	const D = '2030-03-12'; // a Tuesday
	const staff = ['a', 'b', 'c', 'd'].map((id) => ({ id, name: id.toUpperCase() }));
	const visit = (id: string, start: string, end: string, lead: string, second: string, location = FAR): DayVisit => ({ id, location, start, end, serviceMin: 30, leadStaffId: lead, secondStaffId: second });
	const input = (over: Partial<SuggestInput> & { windows?: SuggestInput['request']['windows']; location?: { lat: number; lng: number } } = {}): SuggestInput => ({
		request: { windows: over.windows ?? [{ date: D, start: '09:00', end: '12:00' }], serviceMin: 30, location: over.location ?? FAR },
		outlet: OUTLET,
		staff,
		visitsByDate: over.visitsByDate ?? new Map([[D, [visit('v1', '09:00', '10:00', 'a', 'b')]]]),
		fallbackDays: over.fallbackDays ?? ['2030-03-13', '2030-03-14'],
		deadline: over.deadline ?? '2030-03-14',
		today: '2030-03-11',
		nowClock: '10:00',
		isWorkingDay: (d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())
	});

	it('prefers the team already out nearby (least added travel), and never overlaps its bookings', () => {
		const { suggestions } = suggestSlots(input());
		expect(suggestions.length).toBeGreaterThan(1);
		const [best] = suggestions;
		expect(best).toMatchObject({ date: D, leadStaffId: 'a', secondStaffId: 'b', respectsWindow: true, meetsTimeLimit: true });
		expect(best.start >= '10:00').toBe(true); // a·b are busy 09:00–10:00
		const free = suggestions.find((s) => s.leadStaffId === 'c');
		expect(free, 'the free pair is offered too').toBeDefined();
		expect(best.addedTravelMin).toBeLessThan(free!.addedTravelMin);
		const minutes = suggestions.map((s) => s.addedTravelMin);
		expect(minutes).toEqual([...minutes].sort((x, y) => x - y));
	});

	it('ranks the time limit above travel, and the resident window above both', () => {
		const late = '2030-03-19';
		const { suggestions } = suggestSlots(
			input({
				windows: [{ date: late, start: '09:00', end: '12:00' }, { date: D, start: '14:00', end: '16:00' }],
				visitsByDate: new Map([[D, []], [late, [visit('v2', '09:00', '10:00', 'a', 'b')]]])
			}),
			20
		);
		// On the late day a·b are already next door (cheaper), but that day misses the time limit.
		expect(suggestions[0]).toMatchObject({ date: D, meetsTimeLimit: true });
		expect(suggestions.at(-1)).toMatchObject({ date: late, meetsTimeLimit: false });
		expect(suggestions.every((s) => s.respectsWindow)).toBe(true);
	});

	it('falls back to whole working days up to the time limit when every window is full, ranked after none', () => {
		const busy = new Map([[D, [visit('v1', '09:00', '12:00', 'a', 'b'), visit('v2', '09:00', '12:00', 'c', 'd')]]]);
		const { suggestions, dropped } = suggestSlots(input({ visitsByDate: busy }));
		expect(dropped.filter((d) => d.date === D).map((d) => d.reason)).toEqual(['staff_busy', 'staff_busy']);
		expect(suggestions.length).toBeGreaterThan(0);
		expect(suggestions.every((s) => !s.respectsWindow && s.meetsTimeLimit && ['2030-03-13', '2030-03-14'].includes(s.date))).toBe(true);
	});

	it('drops past, non-working, out-of-hours and unreachable windows with the reason', () => {
		const { dropped } = suggestSlots(
			input({
				windows: [
					{ date: '2030-03-08', start: '09:00', end: '11:00' }, // before today
					{ date: '2030-03-16', start: '09:00', end: '11:00' }, // Saturday
					{ date: D, start: '18:30', end: '19:30' }, // after work
					{ date: '2030-03-11', start: '08:30', end: '10:15' } // today, but already 10:00
				],
				fallbackDays: []
			})
		);
		expect(dropped.map((d) => d.reason)).toEqual(['past', 'not_working_day', 'outside_hours', 'past']);

		// Shanghai is ~3 h away at the model's speed: no team reaches it inside the window and gets back.
		const far = suggestSlots(input({ location: { lat: 31.2304, lng: 121.4737 }, windows: [{ date: D, start: '09:00', end: '10:00' }], visitsByDate: new Map(), fallbackDays: [] }));
		expect(far.suggestions).toEqual([]);
		expect(far.dropped.length).toBeGreaterThan(0);
		expect(far.dropped.every((d) => ['no_window_reachable', 'shift_too_short', 'locked_infeasible', 'no_room'].includes(d.reason))).toBe(true);
	});

	it('keeps lunch: a slot that would leave no 60-minute break between 11:30 and 13:30 is refused', () => {
		// a·b serve 11:00–12:00 and must start the next visit by 13:15: lunch fits between them, but
		// not together with a visit starting by 12:45 (c·d are out all day).
		const day = [{ ...visit('v1', '11:00', '11:00', 'a', 'b', NEAR), serviceMin: 60 }, visit('v2', '13:00', '13:15', 'a', 'b', NEAR), visit('v3', '08:30', '17:30', 'c', 'd')];
		const { suggestions, dropped } = suggestSlots(input({ windows: [{ date: D, start: '12:00', end: '12:45' }], visitsByDate: new Map([[D, day]]), location: NEAR, fallbackDays: [] }));
		expect(suggestions).toEqual([]);
		expect(dropped.find((d) => d.teamNames === 'A · B')?.reason).toMatch(/breaks_conflict|locked_infeasible|no_room/);
	});
});

describe.each(DIALECTS)('planning on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	let dayCounter = 0;
	/** A working day far from the demo visits, a new one per call. */
	const freeDay = async () => rollForward(addDays(today(), 30 + 7 * ++dayCounter), calendarFromDays(await listCalendarDays(t.db)));
	const submitAt = async (location: { lat: number; lng: number }, windows: { date: string; start: string; end: string }[]) => {
		const input = newRequestInput({ windows });
		input.resident = { ...input.resident!, ...location };
		return submitRequest(t.db, await actor(t.db, 'worker1'), input);
	};

	it('suggests slots the approval accepts, and stops suggesting a slot once it is taken', async () => {
		const head = await actor(t.db, 'head1');
		const date = await freeDay();
		const first = await submitAt(NEAR, [{ date, start: '09:00', end: '11:00' }]);
		const slots = await loadSlotSuggestions(t.db, head as never, first.id);
		expect(slots?.suggestions.length).toBeGreaterThan(0);
		expect(slots!.suggestions.length).toBeLessThanOrEqual(5);
		const pick = slots!.suggestions[0];
		expect(pick).toMatchObject({ date, respectsWindow: true });
		const { visit } = await approveRequest(t.db, head, first.id, { ...pick, version: first.version });
		expect(visit).toMatchObject({ date, windowStart: pick.start, windowEnd: pick.end, leadStaffId: pick.leadStaffId });

		// Approved requests get no suggestions; a second one in the same window avoids the booking.
		expect(await loadSlotSuggestions(t.db, head as never, first.id)).toBeNull();
		const second = await submitAt(NEAR, [{ date, start: '09:00', end: '11:00' }]);
		const next = await loadSlotSuggestions(t.db, head as never, second.id);
		for (const s of next!.suggestions) {
			const sharesStaff = [s.leadStaffId, s.secondStaffId].some((id) => id === pick.leadStaffId || id === pick.secondStaffId);
			if (sharesStaff) expect(s.start >= pick.end || s.end <= pick.start).toBe(true);
			await expect(approveRequest(t.db, head, second.id, { ...s, version: second.version }).then(() => 'ok')).resolves.toBe('ok');
			break; // one approval is enough: the request is decided afterwards
		}

		// Another outlet's head sees nothing of it.
		expect(await loadSlotSuggestions(t.db, (await actor(t.db, 'head2')) as never, second.id)).toBeNull();
	});

	it('optimises a day over the teams, publishes order, arrival and reassignments', async () => {
		const head = await actor(t.db, 'head1');
		const [s1, s2] = await Promise.all([actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const extra = await Promise.all(
			['plan_a', 'plan_b'].map((u) => createUser(t.db, { username: `${u}_${dialect}`, displayName: u, passwordHash: 'x', role: 'field_staff', outletId: head.outletId }))
		);
		const date = await freeDay();
		const team1 = { leadStaffId: s1.id, secondStaffId: s2.id };
		const team2 = { leadStaffId: extra[0].id, secondStaffId: extra[1].id };
		// Each team crosses between the two clusters; swapping the afternoon visits keeps each in one.
		const book = async (location: typeof NEAR, start: string, end: string, team: typeof team1) => {
			const r = await submitAt(location, [{ date, start, end }]);
			return (await approveRequest(t.db, head, r.id, { date, start, end, ...team })).visit;
		};
		const a1 = await book(NEAR, '09:00', '10:00', team1);
		const b1 = await book(FAR, '14:00', '15:00', team1);
		const b2 = await book(FAR, '09:00', '10:00', team2);
		const a2 = await book(NEAR, '14:00', '15:00', team2);

		const day = await loadDispatchDay(t.db, head as never, date);
		expect(day.teams).toHaveLength(2);
		expect(day.current.unassigned).toEqual([]);
		const plan = optimiseDay({ outlet: day.outletPosition, teams: day.teams, visits: day.stops }, new Map());
		expect(plan.unassigned).toEqual([]);
		expect(plan.travelMin).toBeLessThan(day.current.travelMin);
		const routeOf = (id: string) => plan.routes.find((r) => r.visitIds.includes(id))!.teamKey;
		expect(routeOf(a1.id)).toBe(routeOf(a2.id));
		expect(routeOf(b1.id)).toBe(routeOf(b2.id));
		// Every route leaves the outlet after 08:30, takes lunch, and is back by 17:30.
		for (const r of plan.routes) {
			expect(r.entries[0].start >= '08:30').toBe(true);
			expect(r.entries.at(-1)!.arrival <= '17:30').toBe(true);
			expect(r.entries.some((e) => e.kind === 'lunch')).toBe(true);
		}

		// A lock keeps a visit on its team even if travel suffers.
		const key1 = day.teams.find((tm) => tm.leadStaffId === s1.id)!.key;
		const locked = optimiseDay({ outlet: day.outletPosition, teams: day.teams, visits: day.stops }, new Map([[b1.id, key1]]));
		expect(locked.routes.find((r) => r.teamKey === key1)!.visitIds).toContain(b1.id);

		// A plan missing a visit is stale and changes nothing.
		const stops = plan.routes.flatMap((r) => r.visitIds.map((visitId) => ({ visitId, teamKey: r.teamKey })));
		expect(await publishPlan(t.db, head as never, date, stops.slice(1), '调度优化')).toEqual({ ok: false, code: 'plan_err_stale' });
		expect((await readPublishedPlan(t.db, head.outletId!, date)).visits).toEqual([]);

		const result = await publishPlan(t.db, head as never, date, stops, '调度优化');
		expect(result).toEqual({ ok: true, stored: 4, reassigned: 2 });
		const published = await readPublishedPlan(t.db, head.outletId!, date);
		expect(published.visits).toHaveLength(4);
		for (const p of published.visits) {
			const v = (await getVisit(t.db, p.visitId))!;
			expect([v.leadStaffId, v.secondStaffId].sort()).toEqual([p.leadStaffId, p.secondStaffId].sort());
			expect(p.plannedOrder).toBe(v.windowStart === '09:00' ? 1 : 2);
			expect(p.plannedArrival >= `${date}T00:30`).toBe(true); // 08:30 Shanghai = 00:30 UTC
		}
		// Two visits of the same time swapped teams (a swap is parked first, then put back in its
		// window); every window is unchanged.
		const before = [a1, b1, b2, a2];
		const after = await Promise.all(before.map(async (v) => (await getVisit(t.db, v.id))!));
		expect(after.map((v) => [v.windowStart, v.windowEnd])).toEqual(before.map((v) => [v.windowStart, v.windowEnd]));
		const moved = before.filter((v, i) => after[i].leadStaffId !== v.leadStaffId);
		expect(moved).toHaveLength(2);
		expect(moved[0].windowStart).toBe(moved[1].windowStart);
		for (const v of moved) {
			const audit = await listAuditForEntity(t.db, 'visit', v.id);
			expect(audit.some((a) => a.action === 'reschedule' && JSON.stringify(a.details).includes('调度优化'))).toBe(true);
		}

		// Publishing again replaces the plan rather than adding to it.
		const again = await loadDispatchDay(t.db, head as never, date);
		const same = again.current.routes.flatMap((r) => r.visitIds.map((visitId) => ({ visitId, teamKey: r.teamKey })));
		expect(await publishPlan(t.db, head as never, date, same, '调度优化')).toMatchObject({ ok: true, stored: 4, reassigned: 0 });
		expect((await readPublishedPlan(t.db, head.outletId!, date)).visits).toHaveLength(4);
	});

	it('never plans a member shared by two teams into two visits at once', async () => {
		const head = await actor(t.db, 'head1');
		const [s1, s2, s3] = await Promise.all(['staff1', 'staff2', 'staff3'].map((u) => actor(t.db, u)));
		const extra = await Promise.all(
			['plan_c', 'plan_d'].map((u) => createUser(t.db, { username: `${u}_${dialect}`, displayName: u, passwordHash: 'x', role: 'field_staff', outletId: head.outletId }))
		);
		const date = await freeDay();
		const book = async (place: typeof NEAR, start: string, end: string, leadStaffId: string, secondStaffId: string) => {
			const r = await submitAt(place, [{ date, start, end }]);
			return (await approveRequest(t.db, head, r.id, { date, start, end, leadStaffId, secondStaffId })).visit;
		};
		const EAST = { lat: 30.1745, lng: 120.3021 };
		// staff2 is on T1 (09:00, locked) and T2. Cheapest would be T2 taking both far visits, but
		// then staff2 is at 09:00 near and 09:30 far: the far morning visit must stay on T3.
		const v1 = await book(NEAR, '09:00', '10:00', s1.id, s2.id);
		const v2 = await book(FAR, '14:00', '15:00', s2.id, s3.id);
		const v3 = await book(FAR, '09:30', '10:30', extra[0].id, extra[1].id);
		const v4 = await book(EAST, '14:00', '15:00', extra[0].id, extra[1].id);

		const day = await loadDispatchDay(t.db, head as never, date);
		const input = { outlet: day.outletPosition, teams: day.teams, visits: day.stops };
		const current = new Map(day.visits.map((v) => [v.id, v.teamKey]));
		const locks = new Map([[v1.id, current.get(v1.id)!], [v4.id, current.get(v4.id)!]]);
		const naive = optimiseDay(input, locks);
		expect(movedIntoClashes(naive, day.teams, day.stops, current)).toEqual([v3.id]);

		const plan = optimiseDay(input, locks, current);
		expect(movedIntoClashes(plan, day.teams, day.stops, current)).toEqual([]);
		expect(plan.routes.find((r) => r.visitIds.includes(v3.id))!.teamKey).toBe(current.get(v3.id));
		expect(plan.travelMin).toBeGreaterThan(naive.travelMin);
		// Published as the naive plan instead, the double-booking rule refuses it, all or nothing.
		const asStops = (p: typeof plan) => p.routes.flatMap((r) => r.visitIds.map((visitId) => ({ visitId, teamKey: r.teamKey })));
		const refused = await publishPlan(t.db, head as never, date, asStops(naive), '调度优化');
		expect(refused).toMatchObject({ ok: false, code: 'err_staff_busy', ref: day.visits.find((v) => v.id === v3.id)!.ref });
		expect((await getVisit(t.db, v3.id))!).toMatchObject({ leadStaffId: extra[0].id, windowStart: '09:30', version: v3.version });
		expect((await getVisit(t.db, v2.id))!.version).toBe(v2.version);
		expect((await readPublishedPlan(t.db, head.outletId!, date)).visits).toEqual([]);

		expect(await publishPlan(t.db, head as never, date, asStops(plan), '调度优化')).toMatchObject({ ok: true, stored: 4 });
	});
});
