/**
 * Working-day arithmetic on a configurable calendar (public holidays + adjusted working weekends,
 * 调休). Dates are `YYYY-MM-DD` strings in Asia/Shanghai; arithmetic is done on UTC midnights so
 * it never depends on the time zone of the machine that runs it (browser or server).
 */

export { CN_DEFAULT_CALENDAR_DAYS } from './calendar-cn';

export interface WorkCalendar {
	/** Dates off work even if Monday–Friday. */
	holidays: ReadonlySet<string>;
	/** Saturdays/Sundays that are working days (adjusted working weekends, 调休上班). */
	workdays: ReadonlySet<string>;
}

export type CalendarDayKind = 'holiday' | 'workday';
export interface CalendarDay {
	date: string;
	kind: CalendarDayKind;
	name: string;
}

export const EMPTY_CALENDAR: WorkCalendar = { holidays: new Set(), workdays: new Set() };

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Safety stop: no real calendar has a year without a working day. */
const MAX_SCAN_DAYS = 3700;

/** True for a real calendar date written as `YYYY-MM-DD`. */
export function isValidDate(date: string): boolean {
	const m = DATE_RE.exec(date);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function toEpochDay(date: string): number {
	if (!isValidDate(date)) throw new RangeError(`invalid date: ${date}`);
	return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
}

function fromEpochDay(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
	return fromEpochDay(toEpochDay(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
	return new Date(toEpochDay(date) * DAY_MS).getUTCDay();
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
	if (cal.holidays.has(date)) return false; // a holiday wins over a (mistaken) workday entry
	if (cal.workdays.has(date)) return true;
	const dow = dayOfWeek(date);
	return dow !== 0 && dow !== 6;
}

/** `date` itself if it is a working day, else the next working day. */
export function rollForward(date: string, cal: WorkCalendar): string {
	let d = date;
	for (let i = 0; i < MAX_SCAN_DAYS; i++, d = addDays(d, 1)) {
		if (isWorkingDay(d, cal)) return d;
	}
	throw new RangeError('calendar has no working day');
}

/**
 * The n-th working day after `date` (n < 0: before). `date` itself is never counted, so
 * `addWorkingDays(friday, 1)` is the next Monday (if Monday is a working day); n = 0 returns
 * `date` unchanged.
 */
export function addWorkingDays(date: string, n: number, cal: WorkCalendar): string {
	if (!Number.isInteger(n)) throw new RangeError(`n must be an integer: ${n}`);
	const step = n < 0 ? -1 : 1;
	let d = date;
	let left = Math.abs(n);
	const limit = Math.abs(n) * 10 + MAX_SCAN_DAYS;
	toEpochDay(date); // validates
	for (let i = 0; left > 0; i++) {
		if (i > limit) throw new RangeError('calendar has no working day');
		d = addDays(d, step);
		if (isWorkingDay(d, cal)) left--;
	}
	return d;
}

/**
 * Working days in the half-open interval (from, to]: the inverse of `addWorkingDays`, i.e.
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): number {
	const a = toEpochDay(from);
	const b = toEpochDay(to);
	if (a === b) return 0;
	const [lo, hi, sign] = a < b ? [a, b, 1] : [b, a, -1];
	let count = 0;
	for (let day = lo + 1; day <= hi; day++) if (isWorkingDay(fromEpochDay(day), cal)) count++;
	return sign * count;
}

/**
 * Offsets of the zones we handle without Intl. China has used a single zone, UTC+8, with no
 * daylight saving time since 1991, so a fixed offset is exact for every timestamp this app
 * stores, is identical in every browser and Node build (small-ICU builds may lack tz data), and
 * is much faster than Intl in list rendering.
 */
const FIXED_OFFSET_MIN = new Map<string, number>([
	['Asia/Shanghai', 480],
	['Asia/Chongqing', 480],
	['Asia/Harbin', 480],
	['PRC', 480],
	['UTC', 0],
	['Etc/UTC', 0]
]);
export const SHANGHAI_OFFSET_MIN = 480;

function parseInstant(iso: string): number {
	const t = Date.parse(iso);
	if (Number.isNaN(t)) throw new RangeError(`invalid instant: ${iso}`);
	return t;
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone (default Asia/Shanghai). */
export function localDate(iso: string, tz = 'Asia/Shanghai'): string {
	const t = parseInstant(iso);
	const offset = FIXED_OFFSET_MIN.get(tz);
	if (offset !== undefined) return new Date(t + offset * 60_000).toISOString().slice(0, 10);
	// Any other zone (not used by the app today): fall back to Intl; 'en-CA' formats YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: tz,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(new Date(t));
}

/** The local wall-clock time `HH:MM` of an instant in Asia/Shanghai. */
export function localTime(iso: string): string {
	return new Date(parseInstant(iso) + SHANGHAI_OFFSET_MIN * 60_000).toISOString().slice(11, 16);
}

/** UTC ISO instant of local (Asia/Shanghai) `date` at `time` (`HH:MM`, default 00:00). */
export function shanghaiInstant(date: string, time = '00:00'): string {
	const ms = toEpochDay(date) * DAY_MS + (+time.slice(0, 2) * 60 + +time.slice(3, 5)) * 60_000;
	return new Date(ms - SHANGHAI_OFFSET_MIN * 60_000).toISOString();
}

/** UTC ISO instant of 23:59:59.999 local time (Asia/Shanghai) on `date`. */
export function endOfLocalDay(date: string): string {
	return new Date((toEpochDay(date) + 1) * DAY_MS - SHANGHAI_OFFSET_MIN * 60_000 - 1).toISOString();
}

/** Build a calendar from rows as stored in `calendar_days` (or `CN_DEFAULT_CALENDAR_DAYS`). */
export function calendarFromDays(
	days: readonly { date: string; kind: CalendarDayKind | string }[]
): WorkCalendar {
	const holidays = new Set<string>();
	const workdays = new Set<string>();
	for (const d of days) {
		if (d.kind === 'holiday') holidays.add(d.date);
		else if (d.kind === 'workday') workdays.add(d.date);
	}
	return { holidays, workdays };
}
