import { shanghaiInstant } from '$lib/domain/calendar';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { rescheduleVisit } from '$lib/server/workflow';
import { isWorkflowError } from '$lib/server/workflow/errors';
import { inTransaction } from '$lib/server/workflow/context';
import { evaluateAssignment } from './dispatch';
import { loadDispatchDay } from './dispatch-board';
import { replacePublishedPlan, type PlannedVisit } from './plan-store';

/** One stop of the plan the head saw: the visit and its team, posted in route order. */
export interface PlanStop {
	visitId: string;
	teamKey: string;
}

export type PublishResult =
	| { ok: true; stored: number; reassigned: number }
	| { ok: false; code: 'plan_err_stale' }
	| { ok: false; code: string; ref: string };

/** A refusal that rolls the whole publication back. */
class Refused extends Error {
	constructor(readonly code: string, readonly ref: string) {
		super(code);
	}
}

type Day = Awaited<ReturnType<typeof loadDispatchDay>>;

/**
 * Moves visits to their planned teams through `rescheduleVisit`, so the double-booking rule and
 * the audit trail apply. Moves may wait on each other (A's window frees only once B left it), so
 * they are retried while that makes progress; what is still blocked is a swap, which no order of
 * single moves can do: those visits are parked at distinct minutes before the working day with
 * their new team, then put back in their window (the audit shows both steps).
 */
async function reassign(tx: Db, user: SessionUser, day: Day, moves: PlanStop[], date: string, reason: string, now: Date): Promise<void> {
	const visit = (s: PlanStop) => day.visits.find((v) => v.id === s.visitId)!;
	const move = (s: PlanStop, start: string, end: string) => {
		const team = day.teams.find((t) => t.key === s.teamKey)!;
		return rescheduleVisit(tx, user, visit(s).requestId, { date, start, end, leadStaffId: team.leadStaffId, secondStaffId: team.secondStaffId, reason }, now);
	};
	let pending = moves;
	for (;;) {
		const blocked: PlanStop[] = [];
		for (const s of pending) {
			try {
				await move(s, visit(s).start, visit(s).end);
			} catch (err) {
				if (!isWorkflowError(err) || err.code !== 'err_staff_busy') throw err;
				blocked.push(s);
			}
		}
		if (blocked.length === 0) return;
		if (blocked.length === pending.length) {
			pending = blocked;
			break;
		}
		pending = blocked;
	}
	const minute = (i: number) => `00:${String(i).padStart(2, '0')}`;
	if (pending.length > 58) throw new Refused('err_staff_busy', visit(pending[0]).ref);
	for (const [i, s] of pending.entries()) await move(s, minute(i + 1), minute(i + 2));
	for (const s of pending) {
		try {
			await move(s, visit(s).start, visit(s).end);
		} catch (err) {
			if (isWorkflowError(err)) throw new Refused(err.code, visit(s).ref);
			throw err;
		}
	}
}

/**
 * Publishes the plan the head looked at (not a fresh optimisation: with a time budget the
 * optimiser's answer depends on machine load), all or nothing: the reassignments and, per visit,
 * the order and planned arrival on its team, which the field tablets show.
 */
export async function publishPlan(db: Db, user: SessionUser, date: string, stops: PlanStop[], reason: string, now = new Date()): Promise<PublishResult> {
	const day = await loadDispatchDay(db, user, date);
	const visits = new Map(day.visits.map((v) => [v.id, v]));
	const teams = new Map(day.teams.map((t) => [t.key, t]));
	const ids = new Set(stops.map((s) => s.visitId));
	// The day changed since the plan was made (a visit cancelled, moved, added): plan again.
	const stale = ids.size !== stops.length || ids.size !== visits.size || stops.some((s) => !visits.has(s.visitId) || !teams.has(s.teamKey));
	if (stale) return { ok: false, code: 'plan_err_stale' };

	const routes = new Map<string, string[]>(day.teams.map((t) => [t.key, []]));
	for (const s of stops) routes.get(s.teamKey)!.push(s.visitId);
	const plan = evaluateAssignment({ outlet: day.outletPosition, teams: day.teams, visits: day.stops, travel: day.travel }, routes);
	const planned: PlannedVisit[] = plan.routes.flatMap((route) => {
		const team = teams.get(route.teamKey)!;
		return route.entries
			.filter((e) => e.kind === 'visit')
			// When the team is expected at the door: the service start, after any wait.
			.map((e, i) => ({ visitId: e.visitId!, leadStaffId: team.leadStaffId, secondStaffId: team.secondStaffId, plannedOrder: i + 1, plannedArrival: shanghaiInstant(date, e.start) }));
	});
	const moves = stops.filter((s) => visits.get(s.visitId)!.teamKey !== s.teamKey);
	try {
		await inTransaction(db, async (tx) => {
			await reassign(tx, user, day, moves, date, reason, now);
			await replacePublishedPlan(tx, { outletId: user.outletId ?? '', date, publishedBy: user.id, at: now, visits: planned });
		});
	} catch (err) {
		if (err instanceof Refused) return { ok: false, code: err.code, ref: err.ref };
		if (isWorkflowError(err)) return { ok: false, code: err.code, ref: '' };
		throw err;
	}
	return { ok: true, stored: planned.length, reassigned: moves.length };
}
