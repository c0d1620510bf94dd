import { describe, expect, it } from 'vitest';
import { mapStops, type StopSource } from './map-stops';

const row = (id: string, plannedOrder: number | null, over: Partial<StopSource['visit']> = {}, pin = true): StopSource => ({
	visit: { id, start: '09:00', plannedOrder, plannedArrival: null, status: 'scheduled', withdrawnAt: null, ...over },
	resident: { name: `R${id}`, lat: pin ? 30.1 : null, lng: pin ? 120.2 : null }
});

describe('route map stops (pure)', () => {
	it('numbers by the published stop, else by the list position; skips pins missing, withdrawn, cancelled', () => {
		const stops = mapStops([row('a', 1), row('b', 2), row('c', null, {}, false), row('d', null, { withdrawnAt: 'x' }), row('e', null)], null);
		expect(stops.map((s) => [s.visitId, s.n, s.local])).toEqual([
			['a', 1, false],
			['b', 2, false],
			['e', 5, false]
		]);
		expect(stops[0].label).toBe('1 · Ra');
	});

	it("with the tablet's re-plan: only its stops, with its numbers", () => {
		const local = new Map([
			['b', { visitId: 'b', order: 1, arrival: '10:00' }],
			['a', { visitId: 'a', order: 2, arrival: '11:00' }]
		]);
		const stops = mapStops([row('b', 2), row('a', 1), row('done', 3, { status: 'visited' })], local);
		expect(stops.map((s) => [s.visitId, s.n, s.local])).toEqual([
			['b', 1, true],
			['a', 2, true]
		]);
	});
});
