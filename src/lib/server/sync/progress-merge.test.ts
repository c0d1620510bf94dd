import { describe, expect, it } from 'vitest';
import { EMPTY_PROGRESS, mergeArrive, mergeStartTravel } from './progress-merge';

const arrival = { at: '2026-12-04T01:20:00.000Z', lat: 30.157, lng: 120.258, accuracyM: 12, distanceM: 35 };

describe('visit progress: departure and arrival', () => {
	it('leaves the departure unrecorded when the team arrived without tapping 出发 (issue 13, bug 6)', () => {
		const state = mergeArrive(EMPTY_PROGRESS, arrival);
		expect(state.arrivedAt).toBe(arrival.at);
		expect(state.travelStartedAt).toBeNull();
	});

	it('keeps a departure reported before or after the arrival, earliest first', () => {
		const late = mergeStartTravel(mergeArrive(EMPTY_PROGRESS, arrival), { at: '2026-12-04T01:05:00.000Z' });
		expect(late.travelStartedAt).toBe('2026-12-04T01:05:00.000Z');
		const earlier = mergeStartTravel(late, { at: '2026-12-04T01:00:00.000Z' });
		expect(earlier.travelStartedAt).toBe('2026-12-04T01:00:00.000Z');
		expect(mergeStartTravel(earlier, { at: '2026-12-04T01:10:00.000Z' }).travelStartedAt).toBe('2026-12-04T01:00:00.000Z');
	});
});
