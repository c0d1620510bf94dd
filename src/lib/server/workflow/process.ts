import { recordAudit } from '$lib/server/audit';
import type { Db } from '$lib/server/repos/common';
import type { VisitRequest } from '$lib/server/repos/requests';
import { checkVersion, inTransaction, loadRequest, nextStatus, requireOutletHead, saveRequest, type Actor } from './context';

export interface ProcessInput {
	note?: string | null;
	version?: number;
}

/** The outlet head closes a visited request once the outlet has finished its part. */
export function markProcessed(
	db: Db,
	actor: Actor,
	requestId: string,
	input: ProcessInput = {},
	now: Date = new Date()
): Promise<VisitRequest> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		requireOutletHead(actor, request.outletId);
		checkVersion(request, input.version);
		const status = nextStatus(request.status, 'process');

		const version = await saveRequest(tx, request, { status }, now);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'process',
			entity: 'request',
			entityId: requestId,
			outletId: request.outletId,
			at: now,
			details: { from: request.status, note: input.note?.trim() || null }
		});
		return { ...request, status, version, updatedAt: now.toISOString() };
	});
}
