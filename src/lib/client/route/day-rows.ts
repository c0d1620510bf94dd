/*
 * A day of the tablet's visits with their residents and drafts, read from Dexie: what the day
 * list, the route map and the re-plan work from. Browser only (IndexedDB).
 */
import { localTime } from '$lib/domain/calendar';
import type { DoorstepDb, LocalResident, LocalVisit, VisitDraft } from '$lib/client/db';
import type { ReplanVisit } from './replan-input';

export type DayRow = { visit: LocalVisit; resident: LocalResident | null; draft: VisitDraft | null };

export async function loadDayRows(db: DoorstepDb, date: string): Promise<DayRow[]> {
	const visits = await db.visits.where('date').equals(date).toArray();
	return Promise.all(
		visits.map(async (visit) => ({
			visit,
			resident: visit.residentId ? ((await db.residents.get(visit.residentId)) ?? null) : null,
			draft: (await db.drafts.get(visit.id)) ?? null
		}))
	);
}

export function toReplanVisit({ visit, resident, draft }: DayRow): ReplanVisit {
	return {
		id: visit.id,
		date: visit.date,
		start: visit.start,
		end: visit.end,
		status: visit.status,
		requestStatus: visit.requestStatus,
		withdrawnAt: visit.withdrawnAt,
		services: visit.services,
		location: resident?.lat != null && resident.lng != null ? { lat: resident.lat, lng: resident.lng } : null,
		step: draft?.step ?? 'not_started',
		arrivedAt: draft?.arrival?.at ?? null
	};
}

/** The local wall clock, `HH:MM` in Asia/Shanghai (the app's time zone, whatever the device's). */
export const nowClock = (now = new Date()) => localTime(now.toISOString());
