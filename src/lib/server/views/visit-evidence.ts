import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { listUsers } from '$lib/server/repos/users';
import { listVisitsForRequest } from '$lib/server/repos/visits';
import { loadProgress } from '$lib/server/sync/progress-repo';
import { loadEvidenceReviews } from '$lib/server/workflow/review';
import { requiredPhotoKinds, type PhotoKind } from '$lib/domain/photos';
import { visitPhotos } from './visit-photos';
import { config } from '$lib/server/config';
import { needsFarReason } from '$lib/domain/check-in';

export interface EvidenceContext {
	id: string;
	outletId: string;
	/** The resident's pin, to show how far from it the photos were taken. */
	pin?: { lat: number | null; lng: number | null } | null;
	/** Photo kinds the request's services require. */
	requiredPhotos?: PhotoKind[];
}

/**
 * What the team recorded at each visit of a request (times, check-in position and its distance
 * to the resident's pin, checklist, outcomes, consent and signature, who confirmed), for the
 * outlet head's review. The signature is personal data: only the head of the outlet and the
 * admin get it.
 */
export async function visitEvidence(db: Db, user: SessionUser, request: EvidenceContext) {
	const mayReview = user.role === 'admin' || (user.role === 'outlet_head' && user.outletId === request.outletId);
	if (!mayReview) return [];
	const [visits, staff] = await Promise.all([listVisitsForRequest(db, request.id), listUsers(db, { outletId: request.outletId })]);
	const name = new Map(staff.map((u) => [u.id, u.displayName]));
	const recorded = visits.filter((v) => v.status === 'visited' || v.visitedAt);
	const reviews = await loadEvidenceReviews(db, recorded.map((v) => v.id));
	const maxM = config().checkInMaxDistanceM;
	return Promise.all(
		recorded.map(async (v) => {
			const [{ state }, photos] = await Promise.all([loadProgress(db, v.id), visitPhotos(db, v.id, request.pin ?? null, request.requiredPhotos ?? [])]);
			const review = reviews.get(v.id);
			return {
				visitId: v.id,
				date: v.date,
				start: v.windowStart,
				end: v.windowEnd,
				team: [name.get(v.leadStaffId) ?? '', name.get(v.secondStaffId) ?? ''],
				outcome: v.outcome,
				outcomeNote: v.outcomeNote,
				visitedAt: v.visitedAt,
				travelStartedAt: state.travelStartedAt,
				arrivedAt: state.arrivedAt,
				arrival: state.arrival,
				// A check-in beyond the branch's distance from the pin, with the team's reason (issue 13).
				farCheckIn: needsFarReason(state.arrival?.distanceM ?? null, maxM) ? { maxM, reason: state.arrival?.farReason ?? null } : null,
				serviceOutcomes: state.serviceOutcomes,
				consent: state.consent,
				confirmedBy: state.confirmedBy.map((id) => name.get(id) ?? id),
				completedBy: state.completedBy ? (name.get(state.completedBy) ?? null) : null,
				photos: photos.photos,
				// Only a visit where services were provided must show every required kind.
				missingPhotos: v.outcome === 'completed' || v.outcome === 'follow_up' ? photos.missingKinds : [],
				review: review ? { ...review, reviewedBy: name.get(review.reviewedBy) ?? review.reviewedBy } : null
			};
		})
	);
}
export type VisitEvidence = Awaited<ReturnType<typeof visitEvidence>>[number];

/** What the evidence view needs besides the request: the resident's pin and the required kinds. */
export async function evidenceContext(
	db: Db,
	detail: { request: { id: string; services: { code: string }[] }; resident: { lat: number | null; lng: number | null } | null },
	outletId: string
): Promise<EvidenceContext> {
	const codes = detail.request.services.map((s) => s.code);
	const rows = codes.length ? await db.selectFrom('services').select(['code', 'required_photos']).where('code', 'in', codes).execute() : [];
	const services = rows.map((r) => ({ requiredPhotos: parseKinds(r.required_photos) }));
	return { id: detail.request.id, outletId, pin: detail.resident ? { lat: detail.resident.lat, lng: detail.resident.lng } : null, requiredPhotos: requiredPhotoKinds(services) };
}

function parseKinds(json: string | null): string[] {
	try {
		const value = JSON.parse(json ?? '[]');
		return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
	} catch {
		return [];
	}
}
