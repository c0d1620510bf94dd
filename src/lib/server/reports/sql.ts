import { sql, type RawBuilder } from 'kysely';
import { addDays, shanghaiInstant } from '$lib/domain/calendar';
import { dialectOf } from '$lib/server/db/dialect';
import type { Db } from '$lib/server/repos/common';
import type { ScopedFilter } from './scope';

/*
 * SQL building blocks of the report, portable between SQLite and PostgreSQL: the local
 * (Asia/Shanghai, UTC+8 without DST) date of an ISO instant stored as text, the filter
 * conditions on a request.
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

/**
 * The filter's conditions on a request aliased `r` (outlet, community, urgency, service); with
 * `visits`, the outlet is also required of the visit `v` (same value), so its index is used.
 */
export function requestConditions(f: ScopedFilter, opts: { visits?: boolean } = {}): Expr[] {
	const conds: Expr[] = [];
	if (f.outletId) conds.push(sql`r.outlet_id = ${f.outletId}`);
	if (f.outletId && opts.visits) conds.push(sql`v.outlet_id = ${f.outletId}`);
	if (f.communityId) conds.push(sql`r.community_id = ${f.communityId}`);
	if (f.urgency) conds.push(sql`r.urgency = ${f.urgency}`);
	if (f.service) conds.push(sql`r.services like ${`%"${likeLiteral(f.service)}"%`} escape '\\'`);
	return conds;
}

export const and = (conds: Expr[]): Expr => (conds.length ? sql.join(conds, sql` and `) : sql`1 = 1`);

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
