/**
 * Pure arithmetic of the branch report: the working-day index the database joins against to
 * count time limits in SQL, and the quantiles of a histogram of working days. No I/O.
 *
 * The index gives each date `cum` = the working days in (start, date] of the app's calendar
 * (calendar.ts: weekends, public holidays, adjusted working weekends) and `w` = 1 on a working
 * day. With T = rollForward(request date) (sla.ts: a request received on a day off counts from
 * the next working day), `cum(T) = cum(d) + 1 − w(d)`, and for a day x:
 *   - working days from T to x (workingDaysBetween(T, x), at least 0) = max(0, cum(x) − cum(T));
 *   - x is on or before the deadline addWorkingDays(T, N) ⇔ 2·cum(x) + (1 − w(x)) ≤ 2·(cum(T) + N)
 *     (a day off right after the deadline has the deadline's cum, the 1 − w term puts it after).
 * The deadline is the end of its local day (sla.ts), so comparing local dates is exact.
 */

import { addDays, isWorkingDay, type WorkCalendar } from './calendar';

export interface WorkdayIndexRow {
	d: string;
	cum: number;
	w: 0 | 1;
}

/** One row per date from `from` to `to` inclusive (bounded by the caller's range limit). */
export function workdayIndex(from: string, to: string, cal: WorkCalendar, maxDays = 5000): WorkdayIndexRow[] {
	const rows: WorkdayIndexRow[] = [];
	let cum = 0;
	for (let d = from; d <= to; d = addDays(d, 1)) {
		if (rows.length >= maxDays) throw new RangeError('working-day index too long');
		const w = isWorkingDay(d, cal) ? 1 : 0;
		cum += w;
		rows.push({ d, cum, w });
	}
	return rows;
}

/** The same rule in plain code (tests compare SQL against it): is `x` within N working days of `start`? */
export function withinWorkingDays(rows: ReadonlyMap<string, WorkdayIndexRow>, start: string, x: string, n: number): boolean {
	const s = rows.get(start)!;
	const e = rows.get(x)!;
	const t = s.cum + 1 - s.w;
	return 2 * e.cum + (1 - e.w) <= 2 * (t + n);
}

/**
 * Nearest-rank quantile (q in (0, 1]) of a histogram `value → count`: the smallest value with at
 * least ⌈q·n⌉ observations at or below it. Null for an empty histogram.
 */
export function quantile(hist: ReadonlyMap<number, number>, q: number): number | null {
	let n = 0;
	for (const c of hist.values()) n += c;
	if (n === 0) return null;
	const rank = Math.max(1, Math.ceil(q * n));
	let seen = 0;
	for (const value of [...hist.keys()].sort((a, b) => a - b)) {
		seen += hist.get(value)!;
		if (seen >= rank) return value;
	}
	return null;
}

/** Share in [0, 1], or null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Adds `count` at `value` of a histogram. */
export function addTo(hist: Map<number, number>, value: number, count: number): void {
	hist.set(value, (hist.get(value) ?? 0) + count);
}
