import { canRevealIdNumber } from '$lib/domain/privacy';
import { recordAudit } from '$lib/server/audit';
import type { Db } from '$lib/server/repos/common';
import { getResident } from '$lib/server/repos/residents';
import { inTransaction, loadRequest, type Actor } from './context';
import { forbidden, notFound } from './errors';

/**
 * Shows the full resident ID number to the head of the outlet that owns the request, and logs
 * that it was shown (the log holds who, when and for which request — never the number).
 */
export function revealIdNumber(
	db: Db,
	actor: Actor,
	residentId: string,
	requestId: string,
	now: Date = new Date()
): Promise<{ idNumber: string }> {
	return inTransaction(db, async (tx) => {
		const request = await loadRequest(tx, requestId);
		if (request.residentId !== residentId) throw notFound();
		const viewer = { role: actor.role, userId: actor.id, outletId: actor.outletId, communityId: actor.communityId };
		const scope = { communityId: request.communityId, outletId: request.outletId, assignedStaffIds: [] };
		if (!canRevealIdNumber(viewer, scope)) throw forbidden();
		const resident = await getResident(tx, residentId);
		if (!resident) throw notFound();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'reveal_id',
			entity: 'resident',
			entityId: residentId,
			outletId: request.outletId,
			at: now,
			details: { requestId, ref: request.ref }
		});
		return { idNumber: resident.idNumber };
	});
}
