/*
 * The visits a field worker's tablet holds, in the shape of the wire protocol (`SyncVisit`):
 * the field view (resident through `residentView(…, 'visit')`: never the full
 * ID number) plus versions and the team's recorded progress.
 */
import { addDays, localDate } from '$lib/domain/calendar';
import { residentView } from '$lib/domain/privacy';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { toVisitListItem, visitListQuery, type VisitListItem } from '$lib/server/repos/visits';
import { viewerOf } from '$lib/server/views/viewer';
import type { SyncVisit } from '$lib/client/sync/protocol';
import { withPublishedPlans } from './field-plans';
import { loadEvidenceReviews } from '$lib/server/workflow/review';

/** The outlet head's latest review of each visit's evidence (part of the fingerprint, like plans). */
async function withEvidenceReviews(db: Db, visits: SyncVisit[]): Promise<SyncVisit[]> {
	const reviews = await loadEvidenceReviews(db, visits.map((v) => v.id));
	return visits.map((v) => {
		const r = reviews.get(v.id);
		return r ? { ...v, evidenceReview: { status: r.status, reason: r.reason, at: r.reviewedAt } } : v;
	});
}
import { loadServerProgress } from './progress-repo';

/** Days back an open (still scheduled) visit stays on the tablet, and days ahead it arrives. */
export const DAYS_BACK = 7;
export const DAYS_AHEAD = 14;

/** The sync view of a visit: what the assigned team's tablet holds (the resident masked for them). */
function toSyncVisit(user: SessionUser, v: VisitListItem): SyncVisit {
	const scope = { communityId: v.communityId, outletId: v.outletId, assignedStaffIds: [v.leadStaffId, v.secondStaffId] };
	return {
		id: v.id,
		requestId: v.requestId,
		ref: v.requestRef,
		requestStatus: v.requestStatus,
		requestVersion: v.requestVersion,
		status: v.status,
		outcome: v.outcome,
		outcomeNote: v.outcomeNote,
		visitedAt: v.visitedAt,
		date: v.date,
		start: v.windowStart,
		end: v.windowEnd,
		notes: v.notes,
		urgency: v.urgency,
		communityName: v.communityName,
		lead: { id: v.leadStaffId, name: v.leadStaffName },
		second: { id: v.secondStaffId, name: v.secondStaffName },
		services: v.services,
		requestConsent: v.requestConsent,
		resident: residentView(viewerOf(user), v.resident, scope, 'visit', config().idMaskPolicy),
		version: v.version,
		progress: null,
		plannedOrder: null,
		plannedArrival: null,
		evidenceReview: null
	};
}

export const isAssigned = (user: Pick<SessionUser, 'id'>, v: { leadStaffId: string; secondStaffId: string }) =>
	v.leadStaffId === user.id || v.secondStaffId === user.id;

/**
 * The tablet's visits: assigned to the user, not cancelled, dated today … today + 14, plus
 * still-open visits of the last 7 days (a team may complete yesterday's visit before syncing).
 */
export async function listSyncVisits(db: Db, user: SessionUser, now: Date): Promise<SyncVisit[]> {
	const today = localDate(now.toISOString());
	const rows = await visitListQuery(db)
		.where((eb) => eb.or([eb('visits.lead_staff_id', '=', user.id), eb('visits.second_staff_id', '=', user.id)]))
		.where('visits.status', '!=', 'cancelled')
		.where('visits.date', '<=', addDays(today, DAYS_AHEAD))
		.where((eb) =>
			eb.or([
				eb('visits.date', '>=', today),
				eb.and([eb('visits.date', '>=', addDays(today, -DAYS_BACK)), eb('visits.status', '=', 'scheduled')]),
				// Evidence the outlet head sent back: the team must see why and add photos.
				eb.and([
					eb('visits.date', '>=', addDays(today, -DAYS_BACK)),
					eb.exists(eb.selectFrom('evidence_reviews').select('evidence_reviews.visit_id').whereRef('evidence_reviews.visit_id', '=', 'visits.id').where('evidence_reviews.status', '=', 'sent_back'))
				])
			])
		)
		.execute();
	const visits = rows.map((row) => toSyncVisit(user, toVisitListItem(row)));
	const progress = await loadServerProgress(db, visits.map((v) => v.id));
	return withEvidenceReviews(db, await withPublishedPlans(db, visits.map((v) => ({ ...v, progress: progress.get(v.id) ?? null }))));
}

/**
 * One visit as the user's tablet would hold it, whatever its date or status — or null when the
 * user is not (or no longer) assigned: a refusal must not show someone else's visit.
 */
export async function getSyncVisit(db: Db, user: SessionUser, visitId: string): Promise<SyncVisit | null> {
	const row = await visitListQuery(db).where('visits.id', '=', visitId).executeTakeFirst();
	const item = row && toVisitListItem(row);
	if (!item || !isAssigned(user, item)) return null;
	const visit = toSyncVisit(user, item);
	const progress = await loadServerProgress(db, [visit.id]);
	const [planned] = await withEvidenceReviews(db, await withPublishedPlans(db, [{ ...visit, progress: progress.get(visit.id) ?? null }]));
	return planned;
}
