import { recordAudit } from '$lib/server/audit';
import { newId, type Db } from '$lib/server/repos/common';
import type { VisitRequest } from '$lib/server/repos/requests';
import { getScheduledVisit, insertVisit, updateVisit, type Visit } from '$lib/server/repos/visits';
import {
	checkVersion,
	inTransaction,
	isOutletHeadOf,
	loadRequest,
	nextStatus,
	requireOutletHead,
	saveRequest,
	type Actor
} from './context';
import { conflict, forbidden, invalid } from './errors';
import { checkVisitPlan, visitColumns, type VisitPlan } from './staffing';
import { onApproved, onCancelled, onRejected } from '$lib/server/notify/events';

/** `version`: the request version the form was built from; a mismatch is a 409. */
export interface ApproveInput extends VisitPlan {
	version?: number;
}

export interface ReasonInput {
	reason: string;
	version?: number;
}

function requireReason(reason: string | null | undefined): string {
	const text = reason?.trim() ?? '';
	if (!text) throw invalid('err_reason_required');
	return text;
}

/** The outlet head approves a submitted request, picks the slot and the two-person team. */
export function approveRequest(
	db: Db,
	actor: Actor,
	requestId: string,
	input: ApproveInput,
	now: Date = new Date()
): Promise<{ request: VisitRequest; visit: Visit }> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		requireOutletHead(actor, request.outletId);
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'approve');
		await checkVisitPlan(tx, request.outletId, input, now);

		const at = now.toISOString();
		const version = await saveRequest(tx, request, { status, decidedAt: at, decisionReason: null }, now);
		const visit = await insertVisit(tx, { id: newId(), requestId, outletId: request.outletId, ...visitColumns(input) }, now);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'approve',
			entity: 'request',
			entityId: requestId,
			outletId: request.outletId,
			at: now,
			details: { visitId: visit.id, ...visitColumns(input) }
		});
		await onApproved(tx, request, visit, now);
		return { request: { ...request, status, decidedAt: at, version, updatedAt: at }, visit };
	});
}

/** The outlet head turns a submitted request down, with a reason the community worker sees. */
export function rejectRequest(
	db: Db,
	actor: Actor,
	requestId: string,
	input: ReasonInput,
	now: Date = new Date()
): Promise<VisitRequest> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		requireOutletHead(actor, request.outletId);
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'reject');
		const reason = requireReason(input.reason);

		const at = now.toISOString();
		const version = await saveRequest(tx, request, { status, decidedAt: at, decisionReason: reason }, now);
		await recordAudit(tx, { actorId: actor.id, action: 'reject', entity: 'request', entityId: requestId, outletId: request.outletId, at: now, details: { reason } });
		await onRejected(tx, request, reason, now);
		return { ...request, status, decidedAt: at, decisionReason: reason, version, updatedAt: at };
	});
}

/**
 * Cancels a submitted or approved request (its scheduled visit too). The outlet head may always;
 * a community worker only their own community's request while it still awaits a decision.
 */
export function cancelRequest(
	db: Db,
	actor: Actor,
	requestId: string,
	input: ReasonInput,
	now: Date = new Date()
): Promise<VisitRequest> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		const isWorker = actor.role === 'community_worker' && actor.communityId === request.communityId;
		if (!isOutletHeadOf(actor, request.outletId) && !isWorker) throw forbidden();
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'cancel');
		// After approval staff and a slot are committed: only the outlet can release them.
		if (!isOutletHeadOf(actor, request.outletId) && request.status !== 'submitted') {
			throw forbidden('err_cancel_needs_outlet');
		}
		const reason = requireReason(input.reason);

		const at = now.toISOString();
		const decidedAt = request.decidedAt ?? at;
		const version = await saveRequest(tx, request, { status, decisionReason: reason, decidedAt }, now);
		const visit = await getScheduledVisit(tx, requestId);
		if (visit) {
			const result = await updateVisit(tx, visit.id, visit.version, { status: 'cancelled' }, now);
			if (!result.ok) throw conflict();
		}
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'cancel',
			entity: 'request',
			entityId: requestId,
			outletId: request.outletId,
			at: now,
			details: { reason, from: request.status, visitId: visit?.id ?? null }
		});
		await onCancelled(tx, request, visit, reason, actor.id, now);
		return { ...request, status, decisionReason: reason, decidedAt, version, updatedAt: at };
	});
}
