import { error } from '@sveltejs/kit';
import { residentView } from '$lib/domain/privacy';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getResident } from '$lib/server/repos/residents';
import { getRequest } from '$lib/server/repos/requests';
import { getVisitDetail } from '$lib/server/repos/visits';
import { serviceNames } from './requests';
import { viewerOf } from './viewer';

/**
 * One visit as its assigned team sees it: what the visit needs and nothing more (full name,
 * address, phone, contact, the last four ID digits to compare with the card).
 * The offline field app (Dexie) will serve the same shape from the device.
 */
export async function fieldVisit(db: Db, user: SessionUser, visitId: string, locale: string) {
	const visit = await getVisitDetail(db, visitId);
	const assigned = visit && (visit.leadStaffId === user.id || visit.secondStaffId === user.id);
	if (!visit || !assigned) error(404, { message: 'err_not_found' });
	const [full, request, names] = await Promise.all([getResident(db, visit.resident.id), getRequest(db, visit.requestId), serviceNames(db, locale)]);
	const scope = { communityId: visit.communityId, outletId: visit.outletId, assignedStaffIds: [visit.leadStaffId, visit.secondStaffId] };
	const resident = full && residentView(viewerOf(user), full, scope, 'visit', config().idMaskPolicy);
	const checklists = new Map(DEFAULT_SERVICES.map((s) => [s.code, s.checklist]));
	return {
		visit: {
			id: visit.id,
			requestId: visit.requestId,
			ref: visit.requestRef,
			requestStatus: visit.requestStatus,
			requestVersion: request?.version ?? 0,
			status: visit.status,
			outcome: visit.outcome,
			date: visit.date,
			start: visit.windowStart,
			end: visit.windowEnd,
			notes: visit.notes,
			lead: visit.leadStaffName,
			second: visit.secondStaffName,
			services: visit.services.map((code) => ({
				code,
				name: names.get(code) ?? code,
				checklist: (checklists.get(code) ?? []).map((item) => (locale === 'en' ? item.en : item.zh))
			}))
		},
		resident
	};
}
