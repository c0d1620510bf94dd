import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addDays, calendarFromDays, rollForward } from '$lib/domain/calendar';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { osrmRoute, osrmTable } from '$lib/server/routing/osrm';
import { evaluateAssignment, optimiseDay } from '$lib/server/planning/dispatch';
import { loadDispatchDay } from '$lib/server/planning/dispatch-board';
import { roadTravel, withRoadGeometry } from '$lib/server/planning/road-travel';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { startOsrmStandIn, STAND_IN_METRES, STAND_IN_SECONDS } from '../fixtures/osrm-stand-in';
import { actor, newRequestInput, seedDemo, today } from './fixtures';
import { useTestDatabase } from './test-db';

// The server's configuration is read once, on first use: point ROUTING_URL at the stand-in first.
const standIn = await startOsrmStandIn();
process.env.ROUTING_URL = standIn.url;
afterAll(() => standIn.close());

const OUTLET = { lat: 30.1637, lng: 120.2659 };
const NEAR = { lat: 30.1571, lng: 120.2578 };
const FAR = { lat: 30.1178, lng: 120.2146 };

beforeEach(() => {
	standIn.mode = 'ok';
	standIn.requests.length = 0;
});

describe('OSRM client', () => {
	it('reads the table (lng,lat order, both annotations) and the route geometry as [lat, lng]', async () => {
		const m = await osrmTable(standIn.url, [OUTLET, NEAR, FAR]);
		expect(standIn.requests[0]).toBe('/table/v1/driving/120.265900,30.163700;120.257800,30.157100;120.214600,30.117800?annotations=duration,distance');
		expect(m.durations).toEqual([[0, 1200, 1200], [1200, 0, 1200], [1200, 1200, 0]]);
		expect(m.distances![2][0]).toBe(STAND_IN_METRES);
		const path = await osrmRoute(standIn.url, [OUTLET, NEAR]);
		expect(standIn.requests[1]).toMatch(/^\/route\/v1\/driving\/120\.265900,30\.163700;120\.257800,30\.157100\?overview=full&geometries=geojson$/);
		expect(path).toEqual([[OUTLET.lat, OUTLET.lng], [(OUTLET.lat + NEAR.lat) / 2, (OUTLET.lng + NEAR.lng) / 2], [NEAR.lat, NEAR.lng]]);
	});

	it('fills a pair the service cannot route with the great-circle estimate', async () => {
		standIn.mode = 'nulls';
		const m = await osrmTable(standIn.url, [OUTLET, NEAR]);
		expect(m.durations[0][1]).toBeGreaterThan(0);
		expect(m.durations[0][1]).not.toBe(STAND_IN_SECONDS);
		expect(m.durations[1][0]).toBe(STAND_IN_SECONDS);
	});

	it('falls back (undefined) on an error, a timeout or no service, with a log line without positions', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			standIn.mode = 'error';
			expect(await roadTravel([OUTLET, NEAR])).toBeUndefined();
			standIn.mode = 'slow';
			expect(await roadTravel([OUTLET, NEAR], { timeoutMs: 200 })).toBeUndefined();
			expect(await roadTravel([OUTLET, NEAR], { baseUrl: 'http://127.0.0.1:9' })).toBeUndefined();
			const lines = warn.mock.calls.map((c) => String(c[0]));
			expect(lines).toEqual([
				'[doorstep] routing service table failed (HTTP 500, 2 places): great-circle estimate used',
				'[doorstep] routing service table failed (timeout, 2 places): great-circle estimate used',
				'[doorstep] routing service table failed (unreachable, 2 places): great-circle estimate used'
			]);
			for (const line of lines) expect(line).not.toMatch(/30\.1|120\.2/);
			expect(await roadTravel([OUTLET, NEAR], { baseUrl: '' })).toBeUndefined();
		} finally {
			warn.mockRestore();
		}
	});
});

describe('dispatch planning with a routing service', () => {
	const t = useTestDatabase('sqlite', seedDemo);

	it('plans with the service matrix and draws road paths; the estimate when it fails', async () => {
		const head = await actor(t.db, 'head1');
		const [s1, s2] = await Promise.all([actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const date = rollForward(addDays(today(), 45), calendarFromDays(await listCalendarDays(t.db)));
		for (const [location, start, end] of [[NEAR, '09:00', '10:00'], [FAR, '14:00', '15:00']] as const) {
			const input = newRequestInput({ windows: [{ date, start, end }] });
			input.resident = { ...input.resident!, ...location };
			const r = await submitRequest(t.db, await actor(t.db, 'worker1'), input);
			await approveRequest(t.db, head, r.id, { date, start, end, leadStaffId: s1.id, secondStaffId: s2.id });
		}

		const day = await loadDispatchDay(t.db, head as never, date);
		expect(standIn.requests.some((r) => r.startsWith('/table/v1/driving/'))).toBe(true);
		expect(day.travel?.points).toHaveLength(3); // the outlet and two homes
		// outlet → NEAR → FAR → outlet: three legs of the stand-in's 20 minutes each.
		expect(day.current.travelMin).toBe((3 * STAND_IN_SECONDS) / 60);
		const optimised = optimiseDay({ outlet: day.outletPosition, teams: day.teams, visits: day.stops, travel: day.travel }, new Map());
		expect(optimised.travelMin).toBe(60);
		expect(optimised.routes[0].travelMin).toBe(60);

		const drawn = await withRoadGeometry(day.current, day.outletPosition, (id) => day.stops.find((s) => s.id === id)?.location ?? null);
		expect(drawn.routes[0].geometry).toHaveLength(7); // 4 places and a midpoint between each pair

		// The same day without the service: great-circle estimate, not 60 minutes.
		standIn.mode = 'error';
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			const estimated = await loadDispatchDay(t.db, head as never, date);
			expect(estimated.travel).toBeUndefined();
			expect(estimated.current.travelMin).not.toBe(60);
			expect(evaluateAssignment({ outlet: estimated.outletPosition, teams: estimated.teams, visits: estimated.stops }, new Map()).routes).toHaveLength(1);
			expect((await withRoadGeometry(day.current, day.outletPosition, () => NEAR)).routes[0].geometry).toBeUndefined();
		} finally {
			warn.mockRestore();
		}
	});
});
