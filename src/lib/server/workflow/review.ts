import { recordAudit } from '$lib/server/audit';
import type { Db } from '$lib/server/repos/common';
import { getVisit } from '$lib/server/repos/visits';
import { inTransaction, requireOutletHead, type Actor } from './context';
import { conflict, invalid, notFound } from './errors';
import { manifestFor } from '$lib/server/photos/repo';
import { getRequest } from '$lib/server/repos/requests';
import { onEvidenceSentBack } from '$lib/server/notify/events';

export const REVIEW_DECISIONS = ['accepted', 'sent_back'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface ReviewInput {
	visitId: string;
	decision: ReviewDecision;
	/** Required when sending back: what the team must add or redo. */
	reason?: string | null;
}

export interface EvidenceReview {
	visitId: string;
	status: ReviewDecision;
	reason: string | null;
	reviewedBy: string;
	reviewedAt: string;
}

/**
 * The outlet head accepts a visit's evidence or sends it back to the team with a reason. Only a
 * visit whose outcome was recorded can be reviewed; a later decision replaces the earlier one
 * (both stay in the audit log).
 */
export function reviewEvidence(db: Db, actor: Actor, requestId: string, input: ReviewInput, now: Date = new Date()): Promise<EvidenceReview> {
	return inTransaction(db, async (tx) => {
		const visit = await getVisit(tx, input.visitId);
		if (!visit || visit.requestId !== requestId) throw notFound();
		requireOutletHead(actor, visit.outletId);
		if (visit.status !== 'visited' && !visit.visitedAt) throw invalid('err_visit_not_recorded');
		if (!(REVIEW_DECISIONS as readonly string[]).includes(input.decision)) throw invalid('err_review_decision');
		const reason = input.reason?.trim() || null;
		if (input.decision === 'sent_back' && !reason) throw invalid('err_reason_required');
		// Evidence is accepted as seen: not while photos the tablet listed at completion are still
		// on their way (sending back, e.g. to ask for them, stays possible).
		if (input.decision === 'accepted' && (await photosWaiting(tx, visit.id)) > 0) throw conflict('err_evidence_photos_waiting');

		const review: EvidenceReview = { visitId: visit.id, status: input.decision, reason, reviewedBy: actor.id, reviewedAt: now.toISOString() };
		const row = { status: review.status, reason: review.reason, reviewed_by: review.reviewedBy, reviewed_at: review.reviewedAt };
		await tx
			.insertInto('evidence_reviews')
			.values({ visit_id: visit.id, ...row })
			.onConflict((oc) => oc.column('visit_id').doUpdateSet(row))
			.execute();
		await recordAudit(tx, {
			actorId: actor.id,
			action: input.decision === 'accepted' ? 'evidence_accept' : 'evidence_send_back',
			entity: 'visit',
			entityId: visit.id,
			outletId: visit.outletId,
			at: now,
			details: { requestId, reason }
		});
		const request = input.decision === 'sent_back' ? await getRequest(tx, requestId) : null;
		if (request) await onEvidenceSentBack(tx, request, visit, reason ?? '', now);
		return review;
	});
}

/** Photos the tablet listed in the visit's completion that the server has not received. */
async function photosWaiting(db: Db, visitId: string): Promise<number> {
	const listed = await manifestFor(db, visitId);
	if (!listed.length) return 0;
	const received = new Set((await db.selectFrom('photos').select('id').where('visit_id', '=', visitId).execute()).map((r) => r.id));
	return listed.filter((e) => !received.has(e.id)).length;
}

/** The latest review of each given visit. */
export async function loadEvidenceReviews(db: Db, visitIds: string[]): Promise<Map<string, EvidenceReview>> {
	if (!visitIds.length) return new Map();
	const rows = await db.selectFrom('evidence_reviews').selectAll().where('visit_id', 'in', visitIds).execute();
	return new Map(
		rows.map((r) => [r.visit_id, { visitId: r.visit_id, status: r.status, reason: r.reason, reviewedBy: r.reviewed_by, reviewedAt: r.reviewed_at }])
	);
}
