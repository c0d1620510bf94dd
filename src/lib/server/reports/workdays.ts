import { createHash } from 'node:crypto';
import type { WorkCalendar } from '$lib/domain/calendar';
import { reportableRange } from '$lib/domain/report-filters';
import { workdayIndex } from '$lib/domain/report-stats';
import type { Db } from '$lib/server/repos/common';

/*
 * The table `report_workdays` that the report's SQL joins (see $lib/domain/report-stats for the
 * arithmetic): built in code from the app's working calendar (calendar.ts), so the database
 * counts working days exactly as the rest of the app does. It covers every date a filter may
 * name (reportableRange) with a margin, and is rebuilt when the calendar's fingerprint changes
 * (an administrator edited a holiday; a new year); upserts, so two servers rebuilding at once
 * agree. Rows outside the range are left (harmless: never looked up with a bad value).
 */

const META = 'calendar';

/** A year before the oldest reportable date to two years after the newest: ~5,100 rows. */
export function indexRange(now: Date): { from: string; to: string } {
	const { first, last } = reportableRange(now);
	return { from: `${+first.slice(0, 4) - 1}-01-01`, to: `${+last.slice(0, 4) + 2}-12-31` };
}

export function calendarFingerprint(cal: WorkCalendar, range: { from: string; to: string }): string {
	const text = `${range.from}|${range.to}|h:${[...cal.holidays].sort().join(',')}|w:${[...cal.workdays].sort().join(',')}`;
	return createHash('sha256').update(text).digest('hex');
}

const known = new WeakMap<object, string>();

export async function ensureWorkdayIndex(db: Db, cal: WorkCalendar, now: Date = new Date()): Promise<void> {
	const range = indexRange(now);
	const fingerprint = calendarFingerprint(cal, range);
	if (known.get(db) === fingerprint) return;
	const row = await db.selectFrom('report_workdays_meta').select('fingerprint').where('name', '=', META).executeTakeFirst();
	if (row?.fingerprint !== fingerprint) {
		const rows = workdayIndex(range.from, range.to, cal, 6_000);
		const write = async (tx: Db) => {
			for (let i = 0; i < rows.length; i += 500) {
				await tx
					.insertInto('report_workdays')
					.values(rows.slice(i, i + 500))
					.onConflict((oc) => oc.column('d').doUpdateSet((eb) => ({ cum: eb.ref('excluded.cum'), w: eb.ref('excluded.w') })))
					.execute();
			}
			await tx
				.insertInto('report_workdays_meta')
				.values({ name: META, fingerprint })
				.onConflict((oc) => oc.column('name').doUpdateSet({ fingerprint }))
				.execute();
		};
		if (db.isTransaction) await write(db);
		else await db.transaction().execute(write);
	}
	known.set(db, fingerprint);
}
