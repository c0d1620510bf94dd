import { describe, expect, it } from 'vitest';
import { CN_DEFAULT_CALENDAR_DAYS, EMPTY_CALENDAR, calendarFromDays } from './calendar';
import { countdown, decisionDeadline, requestDeadline, visitDeadline } from './sla';

const CN = calendarFromDays(CN_DEFAULT_CALENDAR_DAYS);
// Local (Asia/Shanghai) wall-clock → UTC ISO, to keep the cases readable.
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const endOf = (date: string) => at(`${date}T23:59:59.999`);

describe('decisionDeadline / visitDeadline', () => {
	it('N=1 submitted Friday → end of Monday', () => {
		expect(decisionDeadline(at('2026-11-27T15:00:00'), 1, EMPTY_CALENDAR)).toBe(endOf('2026-11-30'));
		expect(endOf('2026-11-30')).toBe('2026-11-30T15:59:59.999Z');
	});

	it('uses the local date: Friday 01:00 Shanghai is Thursday in UTC', () => {
		expect(decisionDeadline(at('2026-11-27T01:00:00'), 1, EMPTY_CALENDAR)).toBe(endOf('2026-11-30'));
		expect(decisionDeadline(at('2026-11-26T23:59:00'), 1, EMPTY_CALENDAR)).toBe(endOf('2026-11-27'));
	});

	it('a start on a non-working day counts from the next working day', () => {
		expect(decisionDeadline(at('2026-11-28T10:00:00'), 1, EMPTY_CALENDAR)).toBe(endOf('2026-12-01'));
		expect(decisionDeadline(at('2026-11-28T10:00:00'), 0, EMPTY_CALENDAR)).toBe(endOf('2026-11-30'));
	});

	it('skips holidays and counts adjusted working weekends', () => {
		// Wed 30 Sep 2026, N=1: 1–7 Oct is 国庆 → Thu 8 Oct
		expect(decisionDeadline(at('2026-09-30T09:00:00'), 1, CN)).toBe(endOf('2026-10-08'));
		// Submitted during the holiday: T = Thu 8 Oct → Fri 9 Oct
		expect(decisionDeadline(at('2026-10-03T09:00:00'), 1, CN)).toBe(endOf('2026-10-09'));
		// Visit within 5 working days of Thu 8 Oct: 9, 10 (Sat, worked), 12, 13, 14
		expect(visitDeadline(at('2026-10-08T11:00:00'), 5, CN)).toBe(endOf('2026-10-14'));
	});

	it('rejects negative or fractional day counts', () => {
		expect(() => decisionDeadline(at('2026-11-27T10:00:00'), -1, CN)).toThrow(RangeError);
		expect(() => visitDeadline(at('2026-11-27T10:00:00'), 1.5, CN)).toThrow(RangeError);
	});
});

describe('countdown', () => {
	const deadline = endOf('2026-11-30'); // Monday

	it('is ok with working days left', () => {
		expect(countdown(deadline, at('2026-11-27T16:00:00'), EMPTY_CALENDAR)).toEqual({
			overdue: false,
			msLeft: Date.parse(deadline) - Date.parse(at('2026-11-27T16:00:00')),
			workingDaysLeft: 1,
			level: 'ok'
		});
		// Over the weekend the deadline is still the next working day
		expect(countdown(deadline, at('2026-11-29T12:00:00'), EMPTY_CALENDAR)).toMatchObject({ workingDaysLeft: 1, level: 'ok' });
	});

	it('is due today on the deadline day', () => {
		expect(countdown(deadline, at('2026-11-30T08:00:00'), EMPTY_CALENDAR)).toMatchObject({
			overdue: false,
			workingDaysLeft: 0,
			level: 'due_today'
		});
		expect(countdown(deadline, at('2026-11-30T23:59:59.999'), EMPTY_CALENDAR)).toMatchObject({
			msLeft: 0,
			level: 'due_today'
		});
	});

	it('is overdue from local midnight, with negative figures', () => {
		const c = countdown(deadline, at('2026-12-01T00:00:00'), EMPTY_CALENDAR);
		expect(c).toEqual({ overdue: true, msLeft: -1, workingDaysLeft: -1, level: 'overdue' });
		expect(countdown(endOf('2026-11-27'), at('2026-11-28T10:00:00'), EMPTY_CALENDAR).workingDaysLeft).toBe(0);
		expect(Object.is(countdown(endOf('2026-11-27'), at('2026-11-28T10:00:00'), EMPTY_CALENDAR).workingDaysLeft, -0)).toBe(false);
		expect(countdown(deadline, at('2026-12-04T10:00:00'), EMPTY_CALENDAR).workingDaysLeft).toBe(-4);
	});

	it('counts holiday-aware working days', () => {
		expect(countdown(endOf('2026-10-08'), at('2026-09-30T10:00:00'), CN).workingDaysLeft).toBe(1);
	});
});

describe('requestDeadline', () => {
	const outlet = { decideDays: 1, visitDays: 5 };
	const createdAt = at('2026-11-27T10:00:00');
	const decidedAt = at('2026-11-30T10:00:00');

	it('runs the decision clock while submitted', () => {
		expect(requestDeadline({ status: 'submitted', createdAt, decidedAt: null }, outlet, EMPTY_CALENDAR)).toEqual({
			kind: 'decision',
			deadline: endOf('2026-11-30')
		});
	});

	it('runs the visit clock from the decision while approved', () => {
		expect(requestDeadline({ status: 'approved', createdAt, decidedAt }, outlet, EMPTY_CALENDAR)).toEqual({
			kind: 'visit',
			deadline: endOf('2026-12-07')
		});
		// defensive fallback when decidedAt is missing
		expect(requestDeadline({ status: 'approved', createdAt, decidedAt: null }, outlet, EMPTY_CALENDAR)?.deadline).toBe(
			endOf('2026-12-04')
		);
	});

	it.each(['rejected', 'cancelled', 'completed', 'not_home', 'refused', 'follow_up', 'processed'] as const)(
		'has no clock when %s',
		(status) => {
			expect(requestDeadline({ status, createdAt, decidedAt }, outlet, EMPTY_CALENDAR)).toBeNull();
		}
	);
});
