/**
 * The filters of the branch report (/reports) and of the ledger export, parsed from the query
 * string. Pure: no I/O. Whether an outlet, community or service exists and is in the viewer's
 * scope is checked on the server; here only the shape, the dates and the range's bounds.
 */

import { addDays, isValidDate, localDate } from './calendar';
import { URGENCY } from './services';

export interface ReportFilter {
	from: string;
	to: string;
	/** `YYYY-MM` when the period is one calendar month (the usual monthly report). */
	month: string | null;
	outletId: string | null;
	communityId: string | null;
	service: string | null;
	urgency: (typeof URGENCY)[number] | null;
}

export type FilterResult = { ok: true; filter: ReportFilter } | { ok: false; code: string };

/** Longest period one report or export covers (three years and a leap day). */
export const MAX_RANGE_DAYS = 1097;
const MAX_PARAM = 64;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Reports cover the last ten calendar years up to the end of next year (Asia/Shanghai). */
export function reportableRange(now: Date = new Date()): { first: string; last: string } {
	const year = +localDate(now.toISOString()).slice(0, 4);
	return { first: `${year - 10}-01-01`, last: `${year + 1}-12-31` };
}

/** First and last day of a `YYYY-MM` month, or null. */
export function monthRange(month: string): { from: string; to: string } | null {
	const m = MONTH_RE.exec(month);
	if (!m || +m[2] < 1 || +m[2] > 12) return null;
	const from = `${m[1]}-${m[2]}-01`;
	if (!isValidDate(from)) return null;
	const next = +m[2] === 12 ? `${+m[1] + 1}-01-01` : `${m[1]}-${String(+m[2] + 1).padStart(2, '0')}-01`;
	return { from, to: addDays(next, -1) };
}

/** The month `YYYY-MM` of a date `YYYY-MM-DD` shifted by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
	const y = +month.slice(0, 4);
	const mo = +month.slice(5, 7) - 1 + delta;
	const yy = y + Math.floor(mo / 12);
	const mm = ((mo % 12) + 12) % 12;
	return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}`;
}

/** Every month from `fromMonth` to `toMonth` inclusive. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
	const out: string[] = [];
	for (let m = fromMonth; m <= toMonth && out.length < 480; m = shiftMonth(m, 1)) out.push(m);
	return out;
}

function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Parses `month` or `from`+`to`, and `outlet`, `community`, `service`, `urgency`. An empty value
 * means "all". Without any period the current month (Asia/Shanghai) is taken.
 */
export function parseReportFilter(params: URLSearchParams, now: Date = new Date()): FilterResult {
	const get = (name: string): string | null => {
		const all = params.getAll(name);
		if (all.length > 1) return '\u0000'; // repeated parameters are refused below
		const value = all[0]?.trim() ?? '';
		return value === '' ? null : value;
	};
	const names = ['month', 'from', 'to', 'outlet', 'community', 'service', 'urgency'] as const;
	const raw = Object.fromEntries(names.map((n) => [n, get(n)])) as Record<(typeof names)[number], string | null>;
	for (const value of Object.values(raw)) {
		if (value === '\u0000') return { ok: false, code: 'err_report_filter_repeated' };
		if (value && value.length > MAX_PARAM) return { ok: false, code: 'err_too_long' };
	}

	let from: string;
	let to: string;
	let month: string | null = null;
	if (raw.from || raw.to) {
		if (!raw.from || !raw.to || !isValidDate(raw.from) || !isValidDate(raw.to)) return { ok: false, code: 'err_report_bad_date' };
		if (raw.from > raw.to) return { ok: false, code: 'err_report_range_order' };
		if (daysBetween(raw.from, raw.to) >= MAX_RANGE_DAYS) return { ok: false, code: 'err_report_range_too_long' };
		from = raw.from;
		to = raw.to;
		const whole = monthRange(from.slice(0, 7));
		if (whole && whole.from === from && whole.to === to) month = from.slice(0, 7);
	} else {
		month = raw.month ?? localDate(now.toISOString()).slice(0, 7);
		const range = monthRange(month);
		if (!range) return { ok: false, code: 'err_report_bad_month' };
		({ from, to } = range);
	}
	const { first, last } = reportableRange(now);
	if (from < first || to > last) return { ok: false, code: 'err_report_bad_date' };

	for (const key of ['outlet', 'community', 'service'] as const) {
		if (raw[key] && !ID_RE.test(raw[key]!)) return { ok: false, code: 'err_report_bad_filter' };
	}
	if (raw.urgency && !(URGENCY as readonly string[]).includes(raw.urgency)) return { ok: false, code: 'err_report_bad_filter' };
	return {
		ok: true,
		filter: {
			from,
			to,
			month,
			outletId: raw.outlet,
			communityId: raw.community,
			service: raw.service,
			urgency: (raw.urgency as ReportFilter['urgency']) ?? null
		}
	};
}

/** The filter as query parameters again (links, export URLs). */
export function filterParams(f: ReportFilter): URLSearchParams {
	const p = new URLSearchParams();
	if (f.month) p.set('month', f.month);
	else {
		p.set('from', f.from);
		p.set('to', f.to);
	}
	if (f.outletId) p.set('outlet', f.outletId);
	if (f.communityId) p.set('community', f.communityId);
	if (f.service) p.set('service', f.service);
	if (f.urgency) p.set('urgency', f.urgency);
	return p;
}
