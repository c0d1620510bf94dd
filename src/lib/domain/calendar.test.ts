import { describe, expect, it } from 'vitest';
import {
	CN_DEFAULT_CALENDAR_DAYS,
	EMPTY_CALENDAR,
	addDays,
	addWorkingDays,
	calendarFromDays,
	dayOfWeek,
	endOfLocalDay,
	isValidDate,
	isWorkingDay,
	localDate,
	localTime,
	rollForward,
	shanghaiInstant,
	workingDaysBetween,
	type WorkCalendar
} from './calendar';

const CN = calendarFromDays(CN_DEFAULT_CALENDAR_DAYS);

describe('dates', () => {
	it('validates real dates', () => {
		expect(isValidDate('2024-02-29')).toBe(true);
		expect(isValidDate('2025-02-29')).toBe(false);
		expect(isValidDate('2025-13-01')).toBe(false);
		expect(isValidDate('2025-1-01')).toBe(false);
		expect(isValidDate('')).toBe(false);
	});

	it('adds days across months and years', () => {
		expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
		expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
		expect(dayOfWeek('2026-11-27')).toBe(5); // Friday
		expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
	});
});

describe('localDate (fixed UTC+8)', () => {
	it('maps UTC instants to the Shanghai calendar date', () => {
		expect(localDate('2026-11-27T15:59:59.999Z')).toBe('2026-11-27');
		expect(localDate('2026-11-27T16:00:00.000Z')).toBe('2026-11-28');
		expect(localDate('2026-11-27T08:00:00+08:00')).toBe('2026-11-27');
		expect(localDate('2026-11-27T16:00:00.000Z', 'UTC')).toBe('2026-11-27');
	});

	it('agrees with Intl for Asia/Shanghai through a whole year (no DST)', () => {
		const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
		for (let t = Date.UTC(2026, 0, 1, 15, 30); t < Date.UTC(2027, 0, 1); t += 86_400_000 * 3 + 3_600_000) {
			const iso = new Date(t).toISOString();
			expect(localDate(iso)).toBe(fmt.format(new Date(t)));
		}
	});

	it('falls back to Intl for other zones and rejects bad input', () => {
		expect(localDate('2026-07-01T03:00:00Z', 'America/New_York')).toBe('2026-06-30');
		expect(() => localDate('not a date')).toThrow(RangeError);
	});

	it('converts local wall-clock times', () => {
		expect(localTime('2026-11-27T01:30:00Z')).toBe('09:30');
		expect(shanghaiInstant('2026-11-27', '09:30')).toBe('2026-11-27T01:30:00.000Z');
		expect(shanghaiInstant('2026-11-27')).toBe('2026-11-26T16:00:00.000Z');
		expect(endOfLocalDay('2026-11-27')).toBe('2026-11-27T15:59:59.999Z');
	});
});

describe('working days', () => {
	it('uses Mon–Fri without a calendar', () => {
		expect(isWorkingDay('2026-11-27', EMPTY_CALENDAR)).toBe(true); // Fri
		expect(isWorkingDay('2026-11-28', EMPTY_CALENDAR)).toBe(false); // Sat
		expect(addWorkingDays('2026-11-27', 1, EMPTY_CALENDAR)).toBe('2026-11-30');
		expect(addWorkingDays('2026-11-28', 1, EMPTY_CALENDAR)).toBe('2026-11-30');
		expect(addWorkingDays('2026-11-30', -1, EMPTY_CALENDAR)).toBe('2026-11-27');
		expect(addWorkingDays('2026-11-28', 0, EMPTY_CALENDAR)).toBe('2026-11-28');
		expect(addWorkingDays('2026-11-23', 10, EMPTY_CALENDAR)).toBe('2026-12-07');
	});

	it('honours holidays and adjusted working weekends', () => {
		expect(isWorkingDay('2026-10-01', CN)).toBe(false); // 国庆, Thursday
		expect(isWorkingDay('2026-10-10', CN)).toBe(true); // 调休上班, Saturday
		expect(isWorkingDay('2026-09-20', CN)).toBe(true); // 调休上班, Sunday
		// Fri 30 Sep 2026 + 1 → the holiday runs to Wed 7 Oct, Thu 8 Oct is the next working day
		expect(addWorkingDays('2026-09-30', 1, CN)).toBe('2026-10-08');
		expect(addWorkingDays('2026-10-08', 2, CN)).toBe('2026-10-10'); // Fri 9, then Sat 10
		expect(addWorkingDays('2026-02-13', 1, CN)).toBe('2026-02-14'); // Sat before 春节 is worked
		expect(addWorkingDays('2026-02-14', 1, CN)).toBe('2026-02-24');
		expect(addWorkingDays('2026-02-24', -1, CN)).toBe('2026-02-14');
	});

	it('rolls a non-working day forward', () => {
		expect(rollForward('2026-10-03', CN)).toBe('2026-10-08');
		expect(rollForward('2026-10-08', CN)).toBe('2026-10-08');
	});

	it('counts working days in (from, to] as the inverse of addWorkingDays', () => {
		expect(workingDaysBetween('2026-11-27', '2026-11-30', EMPTY_CALENDAR)).toBe(1);
		expect(workingDaysBetween('2026-11-30', '2026-11-27', EMPTY_CALENDAR)).toBe(-1);
		expect(workingDaysBetween('2026-11-27', '2026-11-27', EMPTY_CALENDAR)).toBe(0);
		expect(workingDaysBetween('2026-09-30', '2026-10-10', CN)).toBe(3);
		for (const start of ['2026-09-28', '2026-02-10', '2027-01-29', '2025-04-30']) {
			for (let n = 0; n <= 15; n++) expect(workingDaysBetween(start, addWorkingDays(start, n, CN), CN)).toBe(n);
		}
	});

	it('rejects non-integers and calendars without working days', () => {
		expect(() => addWorkingDays('2026-11-27', 1.5, EMPTY_CALENDAR)).toThrow(RangeError);
		const never = { holidays: { has: () => true }, workdays: new Set<string>() } as unknown as WorkCalendar;
		expect(() => addWorkingDays('2026-11-27', 1, never)).toThrow(RangeError);
	});
});

describe('CN_DEFAULT_CALENDAR_DAYS', () => {
	const byYear = (y: string) => CN_DEFAULT_CALENDAR_DAYS.filter((d) => d.date.startsWith(y));
	const holidays = (y: string) => byYear(y).filter((d) => d.kind === 'holiday').map((d) => d.date);
	const workdays = (y: string) => byYear(y).filter((d) => d.kind === 'workday').map((d) => d.date);

	it('has valid, unique dates, Chinese names and make-up days only on weekends', () => {
		const dates = CN_DEFAULT_CALENDAR_DAYS.map((d) => d.date);
		expect(new Set(dates).size).toBe(dates.length);
		for (const d of CN_DEFAULT_CALENDAR_DAYS) {
			expect(isValidDate(d.date)).toBe(true);
			expect(d.name).toMatch(/[\u4e00-\u9fff]/);
			if (d.kind === 'workday') expect([0, 6]).toContain(dayOfWeek(d.date));
		}
	});

	it('matches the 2025 notice', () => {
		expect(workdays('2025')).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
		expect(holidays('2025')).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
		expect(holidays('2025')).toContain('2025-01-28');
		expect(holidays('2025')).toContain('2025-02-04');
		expect(holidays('2025')).toContain('2025-10-08');
	});

	it('matches the 2026 notice', () => {
		expect(workdays('2026').sort()).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
		expect(holidays('2026')).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
	});

	it('marks every 2027 row as an estimate', () => {
		expect(byYear('2027').length).toBeGreaterThan(0);
		for (const d of byYear('2027')) expect(d.name.endsWith('(预估)')).toBe(true);
		for (const d of [...byYear('2025'), ...byYear('2026')]) expect(d.name).not.toContain('预估');
	});
});
