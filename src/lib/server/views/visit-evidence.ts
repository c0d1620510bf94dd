import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { listUsers } from '$lib/server/repos/users';
import { listVisitsForRequest } from '$lib/server/repos/visits';
import { loadProgress } from '$lib/server/sync/progress-repo';

/**
 * What the team recorded at each visit of a request (times, check-in position and its distance
 * to the resident's pin, checklist, outcomes, consent and signature, who confirmed), for the
 * outlet head's review. The signature is personal data: only the head of the outlet and the
 * admin get it.
 */
export async function visitEvidence(db: Db, user: SessionUser, request: { id: string; outletId: string }) {
	const mayReview = user.role === 'admin' || (user.role === 'outlet_head' && user.outletId === request.outletId);
	if (!mayReview) return [];
	const [visits, staff] = await Promise.all([listVisitsForRequest(db, request.id), listUsers(db, { outletId: request.outletId })]);
	const name = new Map(staff.map((u) => [u.id, u.displayName]));
	const recorded = visits.filter((v) => v.status === 'visited' || v.visitedAt);
	return Promise.all(
		recorded.map(async (v) => {
			const { state } = await loadProgress(db, v.id);
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
				serviceOutcomes: state.serviceOutcomes,
				consent: state.consent,
				confirmedBy: state.confirmedBy.map((id) => name.get(id) ?? id),
				completedBy: state.completedBy ? (name.get(state.completedBy) ?? null) : null
			};
		})
	);
}
export type VisitEvidence = Awaited<ReturnType<typeof visitEvidence>>[number];
