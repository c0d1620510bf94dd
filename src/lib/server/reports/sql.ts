import { sql, type RawBuilder } from 'kysely';
import { addDays, shanghaiInstant, type WorkCalendar } from '$lib/domain/calendar';
import { workdayIndex } from '$lib/domain/report-stats';
import { dialectOf } from '$lib/server/db/dialect';
import type { Db } from '$lib/server/repos/common';
import type { ScopedFilter } from './scope';

/*
 * SQL building blocks of the report, portable between SQLite and PostgreSQL: the local
 * (Asia/Shanghai, UTC+8 without DST) date of an ISO instant stored as text, the filter
 * conditions on a request, and the working-day index as an inline VALUES table (see
 * $lib/domain/report-stats for the arithmetic done against it).
 */

export type Expr = RawBuilder<unknown>;

/** `YYYY-MM-DD` in Asia/Shanghai of an ISO-8601 UTC text expression. */
export function localDateOf(db: Db, instant: Expr): Expr {
	return dialectOf(db) === 'sqlite'
		? sql`date(${instant}, '+8 hours')`
		: sql`to_char(((${instant})::timestamptz at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;
}

/** Minutes between two ISO instants (text), as a number. */
export function minutesBetween(db: Db, from: Expr, to: Expr): Expr {
	return dialectOf(db) === 'sqlite'
		? sql`((julianday(${to}) - julianday(${from})) * 1440.0)`
		: sql`(extract(epoch from ((${to})::timestamptz - (${from})::timestamptz)) / 60.0)`;
}

/** Start of local day `date` as the stored instant text (index-friendly range bounds). */
export const startOf = (date: string): string => shanghaiInstant(date);
export const endExclusive = (date: string): string => shanghaiInstant(addDays(date, 1));

/** Escapes LIKE wildcards; used with `escape '\'`. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The filter's conditions on a request aliased `r` (outlet, community, urgency, service). */
export function requestConditions(f: ScopedFilter): Expr[] {
	const conds: Expr[] = [];
	if (f.outletId) conds.push(sql`r.outlet_id = ${f.outletId}`);
	if (f.communityId) conds.push(sql`r.community_id = ${f.communityId}`);
	if (f.urgency) conds.push(sql`r.urgency = ${f.urgency}`);
	if (f.service) conds.push(sql`r.services like ${`%"${likeLiteral(f.service)}"%`} escape '\\'`);
	return conds;
}

export const and = (conds: Expr[]): Expr => (conds.length ? sql.join(conds, sql` and `) : sql`1 = 1`);

/** Days before the first day of the range that the index covers (a visit's scheduling, a request's receipt). */
export const INDEX_BEFORE_DAYS = 183;
/** Days after the range's last day: later decisions and visits are outside the index (counted late). */
export const INDEX_AFTER_DAYS = 400;

/**
 * `wd(d, cum, w)`: one row per date around the range. Built from our own validated dates and
 * integers only, so it is safe to inline; inlining keeps the statement within any bind-parameter
 * limit (≈ 1,700 rows at the longest range).
 */
export function workdayCte(from: string, to: string, cal: WorkCalendar): Expr {
	const rows = workdayIndex(addDays(from, -INDEX_BEFORE_DAYS), addDays(to, INDEX_AFTER_DAYS), cal);
	const values = rows.map((r) => {
		if (!/^\d{4}-\d{2}-\d{2}$/.test(r.d)) throw new RangeError('bad date in index');
		return `('${r.d}', ${r.cum | 0}, ${r.w | 0})`;
	});
	return sql`wd(d, cum, w) as (values ${sql.raw(values.join(','))})`;
}

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
