import * as v from 'valibot';
import { isValidDate } from '$lib/domain/calendar';
import type { PlanStop } from './publish';

/*
 * The dispatch board's two forms. Ids and team keys are opaque strings here: the board checks
 * them against the day's visits and teams, and anything unknown makes the plan stale.
 */

const date = v.pipe(v.string(), v.check(isValidDate));
const id = v.pipe(v.string(), v.maxLength(200));

export const optimiseSchema = v.object({
	date,
	// `lock.<visitId>` = team key, or '' for "not locked".
	lock: v.optional(v.record(id, id), {})
});

/** A day's plan: up to 500 stops, each with its `lock.<visitId>` on the optimise form. */
export const DISPATCH_FORM_LIMITS = { maxListLength: 500, maxFields: 1100 };

export const publishSchema = v.object({
	date,
	// `stop` = `<visitId>:<teamKey>`, repeated in route order.
	stop: v.optional(v.union([id, v.pipe(v.array(id), v.maxLength(500))]), [])
});

export function lockMap(locks: Record<string, string>): Map<string, string> {
	return new Map(Object.entries(locks).filter(([, team]) => team !== ''));
}

export const stopValue = (visitId: string, teamKey: string): string => `${visitId}:${teamKey}`;

export function parseStops(raw: string | string[]): PlanStop[] {
	return (Array.isArray(raw) ? raw : [raw])
		.filter((s) => s.includes(':'))
		.map((s) => ({ visitId: s.slice(0, s.indexOf(':')), teamKey: s.slice(s.indexOf(':') + 1) }));
}
