import type { Transaction } from 'kysely';
import type { Role } from '$lib/domain/roles';
import { transition, type RequestEvent, type RequestStatus, type VisitOutcome } from '$lib/domain/status';
import type { Database } from '$lib/server/db/schema';
import type { Db } from '$lib/server/repos/common';
import { getRequest, updateRequest, type RequestChanges, type VisitRequest } from '$lib/server/repos/requests';
import { conflict, forbidden, notFound, refusedTransition } from './errors';

/** Who acts. A `SessionUser` fits; only these fields are trusted for decisions. */
export interface Actor {
	id: string;
	role: Role;
	outletId: string | null;
	communityId: string | null;
}

export type Tx = Transaction<Database>;

/**
 * Runs `work` in one transaction: all of a use case commits, or nothing (an error rolls back).
 * Inside an existing transaction it joins it instead of nesting.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
	return db.isTransaction ? work(db as Tx) : db.transaction().execute(work);
}

export function isOutletHeadOf(actor: Actor, outletId: string): boolean {
	return actor.role === 'outlet_head' && actor.outletId !== null && actor.outletId === outletId;
}

export function requireOutletHead(actor: Actor, outletId: string): void {
	if (!isOutletHeadOf(actor, outletId)) throw forbidden();
}

/** Loads a request or throws 404. */
export async function loadRequest(tx: Tx, requestId: string): Promise<VisitRequest> {
	const request = await getRequest(tx, requestId);
	if (!request) throw notFound();
	return request;
}

/** Refuses a stale form: the page showed version N but the request has moved on. */
export function checkVersion(request: VisitRequest, expectedVersion: number | undefined): void {
	if (expectedVersion !== undefined && expectedVersion !== request.version) throw conflict();
}

/** Asks the state machine; throws its refusal as a WorkflowError. */
export function nextStatus(from: RequestStatus, event: RequestEvent, outcome?: VisitOutcome): RequestStatus {
	const result = transition(from, event, outcome);
	if (!result.ok) throw refusedTransition(result.reason);
	return result.to;
}

/** Writes request changes guarded by the version read in this transaction; 409 if it moved. */
export async function saveRequest(
	tx: Tx,
	request: VisitRequest,
	changes: RequestChanges,
	now: Date
): Promise<number> {
	const result = await updateRequest(tx, request.id, request.version, changes, now);
	if (!result.ok) throw conflict();
	return result.version;
}
