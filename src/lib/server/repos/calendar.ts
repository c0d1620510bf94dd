import type { CalendarDay } from '$lib/domain/calendar';
import type { Db } from './common';

// A row is a date that differs from the Monday–Friday rule: a holiday, or a weekend workday.
export type { CalendarDay };

export async function listCalendarDays(
	db: Db,
	range: { from?: string; to?: string } = {}
): Promise<CalendarDay[]> {
	let query = db.selectFrom('calendar_days').select(['date', 'kind', 'name']).orderBy('date');
	if (range.from) query = query.where('date', '>=', range.from);
	if (range.to) query = query.where('date', '<=', range.to);
	const rows = await query.execute();
	return rows.map((row) => ({ ...row, kind: row.kind === 'workday' ? 'workday' : 'holiday' }));
}

export async function upsertCalendarDay(db: Db, day: CalendarDay): Promise<void> {
	await db
		.insertInto('calendar_days')
		.values(day)
		.onConflict((oc) => oc.column('date').doUpdateSet({ kind: day.kind, name: day.name }))
		.execute();
}

/** Returns false when the date was not in the calendar. */
export async function deleteCalendarDay(db: Db, date: string): Promise<boolean> {
	const result = await db.deleteFrom('calendar_days').where('date', '=', date).executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}
