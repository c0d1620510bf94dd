/**
 * Time limits (办结时限) for requests, counted in working days of Asia/Shanghai.
 *
 * Rule (the "T+N" convention of Chinese bank counters): a request received on a working day has
 * T = that day; one received on a weekend/holiday is treated as received on the next working day.
 * The deadline is the end of the N-th working day after T, i.e. 23:59:59.999 local time, returned
 * as a UTC ISO instant (the format every timestamp in the database uses).
 *   N=1, submitted Fri 15:00 → end of Mon (or of the next working day if Mon is a holiday)
 *   N=1, submitted Sat       → T = Mon → end of Tue
 * N=0 means "by the end of T".
 */

import {
	addWorkingDays,
	endOfLocalDay,
	localDate,
	rollForward,
	workingDaysBetween,
	type WorkCalendar
} from './calendar';
import type { RequestStatus } from './status';

function deadlineAfter(startIso: string, days: number, cal: WorkCalendar): string {
	if (!Number.isInteger(days) || days < 0) throw new RangeError(`invalid day count: ${days}`);
	const t = rollForward(localDate(startIso), cal);
	return endOfLocalDay(addWorkingDays(t, days, cal));
}

/** Deadline for the outlet head's decision (approve/reject) on a submitted request. */
export function decisionDeadline(submittedAtIso: string, decideDays: number, cal: WorkCalendar) {
	return deadlineAfter(submittedAtIso, decideDays, cal);
}

/** Deadline for the visit after approval. */
export function visitDeadline(approvedAtIso: string, visitDays: number, cal: WorkCalendar) {
	return deadlineAfter(approvedAtIso, visitDays, cal);
}

export type CountdownLevel = 'ok' | 'due_today' | 'overdue';
export interface Countdown {
	overdue: boolean;
	/** Milliseconds until the deadline; negative once overdue (how long overdue). */
	msLeft: number;
	/**
	 * Working days after today up to and including the deadline's day: 0 = due today (or nothing
	 * but non-working days remain), 1 = due on the next working day, … Negative once overdue:
	 * minus the working days that passed since the deadline's day.
	 */
	workingDaysLeft: number;
	level: CountdownLevel;
}

export function countdown(deadlineIso: string, nowIso: string, cal: WorkCalendar): Countdown {
	const msLeft = Date.parse(deadlineIso) - Date.parse(nowIso);
	if (Number.isNaN(msLeft)) throw new RangeError('invalid instant');
	const today = localDate(nowIso);
	const due = localDate(deadlineIso);
	const overdue = msLeft < 0;
	const days = workingDaysBetween(today, due, cal);
	if (overdue) return { overdue, msLeft, workingDaysLeft: Math.min(0, days) || 0, level: 'overdue' };
	const workingDaysLeft = Math.max(0, days);
	return { overdue, msLeft, workingDaysLeft, level: workingDaysLeft === 0 ? 'due_today' : 'ok' };
}

export interface SlaRequest {
	status: RequestStatus;
	createdAt: string;
	/** When the request was approved (for a reopened request: when the new visit was scheduled). */
	decidedAt: string | null;
}
export interface SlaOutlet {
	decideDays: number;
	visitDays: number;
}
export type RequestDeadline = { kind: 'decision' | 'visit'; deadline: string };

/** The running clock of a request: decision while submitted, visit while approved, else none. */
export function requestDeadline(
	req: SlaRequest,
	outlet: SlaOutlet,
	cal: WorkCalendar
): RequestDeadline | null {
	if (req.status === 'submitted') {
		return { kind: 'decision', deadline: decisionDeadline(req.createdAt, outlet.decideDays, cal) };
	}
	if (req.status === 'approved') {
		// decidedAt is always set for approved requests; createdAt is only a defensive fallback.
		const from = req.decidedAt ?? req.createdAt;
		return { kind: 'visit', deadline: visitDeadline(from, outlet.visitDays, cal) };
	}
	return null;
}
