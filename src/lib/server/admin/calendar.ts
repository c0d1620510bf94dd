import { dayOfWeek, type CalendarDay } from '$lib/domain/calendar';
import { recordAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import { deleteCalendarDay, listCalendarDays, upsertCalendarDay } from '$lib/server/repos/calendar';
import type { Db } from '$lib/server/repos/common';
import { AdminError, notFound } from './errors';

const isWeekend = (date: string): boolean => {
	const d = dayOfWeek(date);
	return d === 0 || d === 6;
};

/**
 * An adjusted working day (调休上班) only means something on a weekend: a "workday" on a
 * Tuesday would change nothing and hide a typo in the date.
 */
function checkKind(day: CalendarDay): void {
	if (day.kind === 'workday' && !isWeekend(day.date)) throw new AdminError('admin_err_workday_weekday', 400, 'kind');
}

async function exists(db: Db, date: string): Promise<boolean> {
	return (await listCalendarDays(db, { from: date, to: date })).length > 0;
}

export async function addCalendarDay(db: Db, actor: SessionUser, day: CalendarDay): Promise<void> {
	checkKind(day);
	await db.transaction().execute(async (trx) => {
		// The repository upserts; adding must not silently replace another entry for that date.
		if (await exists(trx, day.date)) throw new AdminError('admin_err_date_taken', 409, 'date');
		await upsertCalendarDay(trx, day);
		await recordAudit(trx, { actorId: actor.id, action: 'calendar_add', entity: 'calendar', entityId: day.date, outletId: null, details: { kind: day.kind, name: day.name } });
	});
}

/** Edits the entry of `originalDate`; a changed date moves the entry (delete + insert, atomically). */
export async function editCalendarDay(db: Db, actor: SessionUser, originalDate: string, day: CalendarDay): Promise<void> {
	checkKind(day);
	await db.transaction().execute(async (trx) => {
		if (!(await exists(trx, originalDate))) throw notFound();
		if (day.date !== originalDate) {
			if (await exists(trx, day.date)) throw new AdminError('admin_err_date_taken', 409, 'date');
			await deleteCalendarDay(trx, originalDate);
		}
		await upsertCalendarDay(trx, day);
		await recordAudit(trx, { actorId: actor.id, action: 'calendar_update', entity: 'calendar', entityId: day.date, outletId: null, details: { from: originalDate, kind: day.kind, name: day.name } });
	});
}

export async function removeCalendarDay(db: Db, actor: SessionUser, date: string): Promise<void> {
	await db.transaction().execute(async (trx) => {
		if (!(await deleteCalendarDay(trx, date))) throw notFound();
		await recordAudit(trx, { actorId: actor.id, action: 'calendar_delete', entity: 'calendar', entityId: date, outletId: null });
	});
}

/** The year shown: `?year=` if sensible, else the current year in Shanghai. */
export function parseYear(param: string | null, today: string): number {
	const y = Number(param);
	return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : Number(today.slice(0, 4));
}

export async function calendarPageData(db: Db, year: number) {
	const all = await listCalendarDays(db);
	const years = new Set(all.map((d) => Number(d.date.slice(0, 4))));
	years.add(year);
	return {
		year,
		years: [...years].sort((a, b) => a - b),
		days: all.filter((d) => d.date.startsWith(`${year}-`)).map((d) => ({ ...d, weekday: dayOfWeek(d.date) }))
	};
}
