import { shanghaiInstant } from '$lib/domain/calendar';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { rescheduleVisit } from '$lib/server/workflow';
import { isWorkflowError } from '$lib/server/workflow/errors';
import { evaluateAssignment } from './dispatch';
import { loadDispatchDay } from './dispatch-board';
import { replacePublishedPlan, type PlannedVisit } from './plan-store';

/** One stop of the plan the head saw: the visit and its team, posted in route order. */
export interface PlanStop {
	visitId: string;
	teamKey: string;
}

export type PublishResult =
	| { ok: true; stored: number; reassigned: number; refused: { ref: string; code: string }[] }
	| { ok: false; code: 'plan_err_stale' };

/**
 * Publishes the plan the head looked at (not a fresh optimisation: with a time budget the
 * optimiser's answer depends on machine load). Visits that change team are moved through
 * `rescheduleVisit`, so the double-booking rule and the audit trail apply; the order and the
 * planned arrival of every visit on its planned team are stored for the field tablets.
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
	const plan = evaluateAssignment({ outlet: day.outletPosition, teams: day.teams, visits: day.stops }, routes);

	// Moves can depend on each other (A's slot frees only once B left it): retry while progressing.
	let pending = stops.filter((s) => visits.get(s.visitId)!.teamKey !== s.teamKey);
	const refused = new Map<string, string>();
	let reassigned = 0;
	while (pending.length) {
		const next: PlanStop[] = [];
		for (const s of pending) {
			const visit = visits.get(s.visitId)!;
			const team = teams.get(s.teamKey)!;
			try {
				await rescheduleVisit(db, user, visit.requestId, { date, start: visit.start, end: visit.end, leadStaffId: team.leadStaffId, secondStaffId: team.secondStaffId, reason }, now);
				reassigned++;
				refused.delete(s.visitId);
			} catch (err) {
				if (!isWorkflowError(err)) throw err;
				refused.set(s.visitId, err.code);
				next.push(s);
			}
		}
		if (next.length === pending.length) break;
		pending = next;
	}

	const planned: PlannedVisit[] = [];
	for (const route of plan.routes) {
		const team = teams.get(route.teamKey)!;
		const entries = route.entries.filter((e) => e.kind === 'visit');
		entries.forEach((entry, i) => {
			if (refused.has(entry.visitId!)) return;
			// When the team is expected at the door: the service start, after any wait.
			planned.push({ visitId: entry.visitId!, leadStaffId: team.leadStaffId, secondStaffId: team.secondStaffId, plannedOrder: i + 1, plannedArrival: shanghaiInstant(date, entry.start) });
		});
	}
	await replacePublishedPlan(db, { outletId: user.outletId ?? '', date, publishedBy: user.id, at: now, visits: planned });
	return {
		ok: true,
		stored: planned.length,
		reassigned,
		refused: [...refused].map(([id, code]) => ({ ref: visits.get(id)!.ref, code }))
	};
}
