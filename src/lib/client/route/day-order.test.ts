import { describe, expect, it } from 'vitest';
import { orderDay, orderRows, type OrderableVisit } from './day-order';

const v = (id: string, start: string, plannedOrder: number | null = null, plannedArrival: string | null = null): OrderableVisit => ({ id, start, plannedOrder, plannedArrival });

describe('ordering the day on the tablet (pure)', () => {
	it('without a plan: by window start', () => {
		expect(orderDay([v('b', '14:00'), v('a', '09:00')]).map((x) => x.id)).toEqual(['a', 'b']);
	});

	it('with a published plan: by planned arrival then stop number, unplanned visits by their window', () => {
		const day = [v('c', '09:00', 2, '10:40'), v('a', '10:00', 1, '10:05'), v('new', '10:30'), v('d', '13:00', 3, '13:10')];
		expect(orderDay(day).map((x) => x.id)).toEqual(['a', 'new', 'c', 'd']);
	});

	it('two teams on one day: each numbers from 1, the day still runs by time', () => {
		const day = [v('t2-1', '13:00', 1, '13:05'), v('t1-1', '09:00', 1, '09:10'), v('t1-2', '10:00', 2, '10:10')];
		expect(orderDay(day).map((x) => x.id)).toEqual(['t1-1', 't1-2', 't2-1']);
	});

	it("a tablet's own re-plan comes first, in its order; the rest follows in the published order", () => {
		const day = [v('a', '09:00', 1, '09:05'), v('b', '10:00', 2, '10:05'), v('c', '11:00', 3, '11:05'), v('done', '08:30', null, null)];
		const local = [
			{ visitId: 'c', order: 1, arrival: '10:20' },
			{ visitId: 'b', order: 2, arrival: '10:50' }
		];
		expect(orderDay(day, local).map((x) => x.id)).toEqual(['c', 'b', 'done', 'a']);
	});
});

describe('orderRows', () => {
	it('keeps each row with its visit, in the order orderDay gives the visits', () => {
		const v = (id: string, start: string) => ({ id, start, plannedOrder: null, plannedArrival: null });
		const rows = [{ visit: v('b', '10:00'), tag: 'B' }, { visit: v('a', '09:00'), tag: 'A' }, { visit: v('c', '11:00'), tag: 'C' }];
		expect(orderRows(rows, null).map((r) => r.tag)).toEqual(['A', 'B', 'C']);
		expect(orderRows(rows, [{ visitId: 'c', order: 1, arrival: '09:30' }]).map((r) => r.tag)).toEqual(['C', 'A', 'B']);
	});
});
