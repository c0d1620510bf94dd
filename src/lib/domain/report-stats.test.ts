import { describe, expect, it } from 'vitest';
import { addWorkingDays, calendarFromDays, rollForward, workingDaysBetween } from './calendar';
import { quantile, ratio, withinWorkingDays, workdayIndex } from './report-stats';

const cal = calendarFromDays([
	...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' })),
	{ date: '2026-10-10', kind: 'workday' }
]);

describe('the working-day index agrees with calendar.ts and sla.ts', () => {
	const rows = workdayIndex('2026-09-01', '2026-11-30', cal);
	const byDate = new Map(rows.map((r) => [r.d, r]));

	it('counts working days like workingDaysBetween from the rolled-forward start', () => {
		for (const start of ['2026-09-30', '2026-10-01', '2026-10-03', '2026-10-09', '2026-10-10', '2026-10-11']) {
			for (const x of ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-11', '2026-10-12', '2026-10-20']) {
				const s = byDate.get(start)!;
				const e = byDate.get(x)!;
				const t = rollForward(start, cal);
				expect(Math.max(0, e.cum - (s.cum + 1 - s.w)), `${start}→${x}`).toBe(Math.max(0, workingDaysBetween(t, x, cal)));
			}
		}
	});

	it('puts a day on or before the deadline exactly when sla.ts does, days off included', () => {
		for (const start of ['2026-09-30', '2026-10-01', '2026-10-09', '2026-10-16', '2026-10-17']) {
			for (const n of [0, 1, 2, 3, 5]) {
				const deadline = addWorkingDays(rollForward(start, cal), n, cal);
				for (const x of rows.map((r) => r.d).filter((d) => d >= start && d <= '2026-11-10')) {
					expect(withinWorkingDays(byDate, start, x, n), `${start}+${n} at ${x}`).toBe(x <= deadline);
				}
			}
		}
	});

	it('is bounded', () => {
		expect(() => workdayIndex('2000-01-01', '2100-01-01', cal, 1000)).toThrow(RangeError);
	});
});

describe('quantiles of a histogram (nearest rank)', () => {
	it('takes the smallest value with at least ⌈q·n⌉ observations at or below it', () => {
		const h = new Map([[0, 1], [1, 3], [2, 1]]);
		expect(quantile(h, 0.5)).toBe(1);
		expect(quantile(h, 0.9)).toBe(2);
		expect(quantile(new Map([[7, 1], [2, 1], [4, 1], [3, 1], [5, 1]]), 0.5)).toBe(4);
		expect(quantile(new Map([[7, 1], [2, 1], [4, 1], [3, 1], [5, 1]]), 0.9)).toBe(7);
		expect(quantile(new Map(), 0.5)).toBeNull();
		expect(ratio(4, 5)).toBe(0.8);
		expect(ratio(0, 0)).toBeNull();
	});
});
