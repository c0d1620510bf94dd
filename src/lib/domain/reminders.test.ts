import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff';
import { dayBeforeDueAt, etaAt, reminderKey } from './reminders';
import { badgeText } from './notifications';

describe('reminder timing', () => {
	it('the day-before reminder is due at 10:00 Shanghai the day before; at once when that passed; never on the day', () => {
		const now = new Date('2026-12-07T01:00:00Z'); // 09:00 in Shanghai
		expect(dayBeforeDueAt('2026-12-10', now)).toBe('2026-12-09T02:00:00.000Z');
		// Approved at 09:00 for tomorrow: 10:00 today is still ahead.
		expect(dayBeforeDueAt('2026-12-08', now)).toBe('2026-12-07T02:00:00.000Z');
		// Approved at 15:00 for tomorrow: now.
		const afternoon = new Date('2026-12-07T07:00:00Z');
		expect(dayBeforeDueAt('2026-12-08', afternoon)).toBe(afternoon.toISOString());
		expect(dayBeforeDueAt('2026-12-07', now)).toBeNull();
		expect(dayBeforeDueAt('2026-12-01', now)).toBeNull();
	});

	it('ETA: the published arrival if later than travel time, else start + 20 min', () => {
		expect(etaAt('2026-12-07T01:00:00.000Z', null, '2026-12-07')).toBe('2026-12-07T01:20:00.000Z');
		expect(etaAt('2026-12-07T01:00:00.000Z', '10:30', '2026-12-07')).toBe('2026-12-07T02:30:00.000Z');
		expect(etaAt('2026-12-07T01:00:00.000Z', '09:05', '2026-12-07')).toBe('2026-12-07T01:20:00.000Z');
	});

	it('one key per visit, kind and slot', () => {
		expect(reminderKey('reminder_day_before', 'v1', { date: '2026-12-08', start: '10:00' })).toBe('reminder_day_before:v1:2026-12-08T10:00');
	});
});

describe('back-off', () => {
	it('doubles from one minute, capped, with at most 10 % jitter', () => {
		const none = () => 0;
		expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, { random: none }))).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
		expect(backoffMs(40, { random: none })).toBe(6 * 3_600_000);
		expect(backoffMs(0, { random: none })).toBe(60_000);
		expect(backoffMs(1, { random: () => 0.999 })).toBeLessThanOrEqual(66_000);
	});

	it('the bell shows 99+ above 99', () => {
		expect(badgeText(5)).toBe('5');
		expect(badgeText(100)).toBe('99+');
	});
});
