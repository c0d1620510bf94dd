import { isVisitOutcome, type VisitOutcome } from '$lib/domain/status';
import { recordAudit } from '$lib/server/audit';
import { newId, type Db } from '$lib/server/repos/common';
import type { VisitRequest } from '$lib/server/repos/requests';
import { getScheduledVisit, insertVisit, listVisitsForRequest, updateVisit, type Visit } from '$lib/server/repos/visits';
import {
	checkVersion,
	inTransaction,
	isOutletHeadOf,
	loadRequest,
	nextStatus,
	requireOutletHead,
	saveRequest,
	type Actor,
	type Tx
} from './context';
import { conflict, forbidden, invalid, refusedTransition } from './errors';
import { checkVisitPlan, visitColumns, type VisitPlan } from './staffing';
import { onOutcome, onReopened, onRescheduled } from '$lib/server/notify/events';

export interface RescheduleInput extends VisitPlan {
	reason: string;
	version?: number;
}

export interface OutcomeInput {
	outcome: VisitOutcome;
	note?: string | null;
	/** When the team was there (a tablet syncing later); defaults to now, never in the future. */
	visitedAt?: string | null;
	version?: number;
}

export interface ReopenInput extends VisitPlan {
	reason?: string | null;
	version?: number;
}

/** The scheduled visit of an approved request; its absence means the data is inconsistent. */
async function scheduledVisitOf(tx: Tx, requestId: string): Promise<Visit> {
	const visit = await getScheduledVisit(tx, requestId);
	if (!visit) throw refusedTransition('not_scheduled');
	return visit;
}

/** The outlet head moves the visit (date, time, team); the request stays approved. */
export function rescheduleVisit(
	db: Db,
	actor: Actor,
	requestId: string,
	input: RescheduleInput,
	now: Date = new Date()
): Promise<{ request: VisitRequest; visit: Visit }> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		requireOutletHead(actor, request.outletId);
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'reschedule');
		const reason = input.reason?.trim();
		if (!reason) throw invalid('err_reason_required');
		const visit = await scheduledVisitOf(tx, requestId);
		await checkVisitPlan(tx, request.outletId, input, now, visit.id);

		// Bumping the request's version too: every open form on the request is now stale.
		const version = await saveRequest(tx, request, { status }, now);
		const changes = visitColumns(input);
		const saved = await updateVisit(tx, visit.id, visit.version, changes, now);
		if (!saved.ok) throw conflict();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'reschedule',
			entity: 'visit',
			entityId: visit.id,
			outletId: request.outletId,
			at: now,
			details: {
				reason,
				from: { date: visit.date, start: visit.windowStart, end: visit.windowEnd, leadStaffId: visit.leadStaffId, secondStaffId: visit.secondStaffId },
				to: changes
			}
		});
		await onRescheduled(tx, request, visit, { ...visit, ...changes }, now);
		const at = now.toISOString();
		return {
			request: { ...request, version, updatedAt: at },
			visit: { ...visit, ...changes, version: saved.version, updatedAt: at }
		};
	});
}

/** The assigned field staff (or their outlet head) record what happened at the visit. */
export function recordOutcome(
	db: Db,
	actor: Actor,
	requestId: string,
	input: OutcomeInput,
	now: Date = new Date()
): Promise<{ request: VisitRequest; visit: Visit }> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		const visit = await getScheduledVisit(tx, requestId);
		// Scope by the latest visit even once it is recorded: a tablet re-sending an outcome
		// should hear "already recorded" (409), not "forbidden".
		const latest = visit ?? (await listVisitsForRequest(tx, requestId)).at(-1) ?? null;
		const assigned = latest !== null && actor.role === 'field_staff' && (actor.id === latest.leadStaffId || actor.id === latest.secondStaffId);
		if (!assigned && !isOutletHeadOf(actor, request.outletId)) throw forbidden();
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'record_outcome', isVisitOutcome(input.outcome) ? input.outcome : undefined);
		if (!visit) throw refusedTransition('not_scheduled');

		const visitedAt = input.visitedAt && Date.parse(input.visitedAt) <= now.getTime() ? new Date(input.visitedAt).toISOString() : now.toISOString();
		const note = input.note?.trim() || null;
		const version = await saveRequest(tx, request, { status }, now);
		const saved = await updateVisit(tx, visit.id, visit.version, { status: 'visited', outcome: input.outcome, outcomeNote: note, visitedAt }, now);
		if (!saved.ok) throw conflict();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'record_outcome',
			entity: 'visit',
			entityId: visit.id,
			outletId: request.outletId,
			at: now,
			details: { outcome: input.outcome, visitedAt, hasNote: note !== null }
		});
		await onOutcome(tx, request, visit, input.outcome, assigned, now);
		const at = now.toISOString();
		return {
			request: { ...request, status, version, updatedAt: at },
			visit: { ...visit, status: 'visited', outcome: input.outcome, outcomeNote: note, visitedAt, version: saved.version, updatedAt: at }
		};
	});
}

/** After "not home" or "needs follow-up" the outlet head schedules a new visit. */
export function reopenRequest(
	db: Db,
	actor: Actor,
	requestId: string,
	input: ReopenInput,
	now: Date = new Date()
): Promise<{ request: VisitRequest; visit: Visit }> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		requireOutletHead(actor, request.outletId);
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'reopen');
		await checkVisitPlan(tx, request.outletId, input, now);

		// decidedAt restarts the visit time limit (see requestDeadline in $lib/domain/sla).
		const at = now.toISOString();
		const version = await saveRequest(tx, request, { status, decidedAt: at }, now);
		const visit = await insertVisit(tx, { id: newId(), requestId, outletId: request.outletId, ...visitColumns(input) }, now);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'reopen',
			entity: 'request',
			entityId: requestId,
			outletId: request.outletId,
			at: now,
			details: { from: request.status, visitId: visit.id, reason: input.reason?.trim() || null, ...visitColumns(input) }
		});
		await onReopened(tx, request, visit, now);
		return { request: { ...request, status, decidedAt: at, version, updatedAt: at }, visit };
	});
}
