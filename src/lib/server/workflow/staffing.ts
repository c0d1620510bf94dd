import { isValidDate, localDate } from '$lib/domain/calendar';
import { getUser } from '$lib/server/repos/users';
import { findOverlappingVisits } from '$lib/server/repos/visits';
import { conflict, invalid } from './errors';
import type { Tx } from './context';

/** A visit slot and its two-person team (dual control: two distinct field staff). */
export interface VisitPlan {
	date: string;
	start: string;
	end: string;
	leadStaffId: string;
	secondStaffId: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A `YYYY-MM-DD` + `HH:MM`–`HH:MM` window that is real, ordered, and not before today. */
export function checkWindow(w: { date: string; start: string; end: string }, now: Date): void {
	if (!isValidDate(w.date) || !TIME.test(w.start) || !TIME.test(w.end) || w.start >= w.end) {
		throw invalid('err_invalid_window');
	}
	if (w.date < localDate(now.toISOString())) throw invalid('err_window_in_past');
}

/**
 * Checks the slot and the team for a visit of `outletId`: two different, active field staff of
 * that outlet, neither booked on an overlapping scheduled visit (other than `excludeVisitId`).
 */
export async function checkVisitPlan(
	tx: Tx,
	outletId: string,
	plan: VisitPlan,
	now: Date,
	excludeVisitId?: string
): Promise<void> {
	checkWindow(plan, now);
	if (plan.leadStaffId === plan.secondStaffId) throw invalid('err_same_staff');
	for (const staffId of [plan.leadStaffId, plan.secondStaffId]) {
		const staff = await getUser(tx, staffId);
		if (!staff || !staff.active || staff.role !== 'field_staff' || staff.outletId !== outletId) {
			throw invalid('err_staff_not_in_outlet');
		}
	}
	const overlapping = await findOverlappingVisits(tx, {
		staffIds: [plan.leadStaffId, plan.secondStaffId],
		date: plan.date,
		start: plan.start,
		end: plan.end,
		excludeVisitId
	});
	if (overlapping.length > 0) throw conflict('err_staff_busy');
}

/** The plan as stored on a visit row. */
export function visitColumns(plan: VisitPlan) {
	return {
		date: plan.date,
		windowStart: plan.start,
		windowEnd: plan.end,
		leadStaffId: plan.leadStaffId,
		secondStaffId: plan.secondStaffId
	};
}
