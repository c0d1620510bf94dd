import { addDays, calendarFromDays, isWorkingDay, localDate, localTime } from '$lib/domain/calendar';
import { visitDeadline } from '$lib/domain/sla';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { getOutlet } from '$lib/server/repos/outlets';
import { getRequestDetail } from '$lib/server/repos/requests';
import { listUsers } from '$lib/server/repos/users';
import { placeOf, scheduledVisits, serviceDurations, serviceMinutes, visitStop } from './day-data';
import { suggestSlots, type DayVisit, type Dropped, type Suggestion } from './suggest';

export type { Dropped, Suggestion };

/** Working days after `today` up to and including `deadline`. */
function daysUntil(today: string, deadline: string, working: (d: string) => boolean): string[] {
	const days: string[] = [];
	for (let d = addDays(today, 1); d <= deadline && days.length < 31; d = addDays(d, 1)) if (working(d)) days.push(d);
	return days;
}

/**
 * Slot suggestions for a submitted request of the head's outlet (null for anything else: only a
 * request waiting for approval needs a slot).
 */
export async function loadSlotSuggestions(
	db: Db,
	user: SessionUser,
	requestId: string,
	now: Date = new Date()
): Promise<{ suggestions: Suggestion[]; dropped: Dropped[] } | null> {
	const request = await getRequestDetail(db, requestId);
	if (!request || request.status !== 'submitted' || request.outletId !== user.outletId) return null;
	const [outlet, staff, durations, days] = await Promise.all([
		getOutlet(db, request.outletId),
		listUsers(db, { outletId: request.outletId, role: 'field_staff', activeOnly: true }),
		serviceDurations(db),
		listCalendarDays(db)
	]);
	if (!outlet) return null;
	const cal = calendarFromDays(days);
	const nowIso = now.toISOString();
	const today = localDate(nowIso);
	// Approving now starts the visit clock now.
	const deadline = localDate(visitDeadline(nowIso, outlet.visitDays, cal));
	const working = (d: string) => isWorkingDay(d, cal);
	const fallbackDays = daysUntil(today, deadline, working);
	const position = { lat: outlet.lat, lng: outlet.lng };

	const dates = [...new Set([...request.windows.map((w) => w.date), ...fallbackDays])].filter((d) => d >= today);
	const visitsByDate = new Map<string, DayVisit[]>();
	for (const date of dates) {
		visitsByDate.set(date, (await scheduledVisits(db, outlet.id, date)).map((v) => visitStop(v, position, durations)));
	}
	return suggestSlots({
		request: { windows: request.windows, serviceMin: serviceMinutes(request.services, durations), location: placeOf(request.resident, position) },
		outlet: position,
		staff: staff.map((s) => ({ id: s.id, name: s.displayName })),
		visitsByDate,
		fallbackDays,
		deadline,
		today,
		nowClock: localTime(nowIso),
		isWorkingDay: working
	});
}

const SLOT = /^(\d{4}-\d{2}-\d{2})_(\d{2}:\d{2})_(\d{2}:\d{2})_([\w-]{1,64})_([\w-]{1,64})$/;

/** A picked suggestion from the `?slot=` link: only pre-fills the form, which validates again. */
export function parseSlotParam(raw: string | null) {
	const m = raw ? SLOT.exec(raw) : null;
	return m ? { date: m[1], start: m[2], end: m[3], leadStaffId: m[4], secondStaffId: m[5] } : null;
}
