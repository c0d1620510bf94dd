import { error } from '@sveltejs/kit';
import { nextStep, type RequestStatus } from '$lib/domain/status';
import { residentView } from '$lib/domain/privacy';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import type { RequestListItem } from '$lib/server/repos/requests';
import { listServices } from '$lib/server/repos/services';
import { scopeOf, viewerOf } from './viewer';
import { slaOf, type SlaContext } from './sla';

/** May this user open this request at all? The one place that answers it for pages and APIs. */
export function canViewRequest(user: SessionUser, req: Pick<RequestListItem, 'communityId' | 'outletId' | 'scheduledVisit'>): boolean {
	switch (user.role) {
		case 'admin':
			return true;
		case 'community_worker':
			return req.communityId === user.communityId;
		case 'outlet_head':
			return req.outletId === user.outletId;
		case 'field_staff':
			return req.outletId === user.outletId && !!req.scheduledVisit && [req.scheduledVisit.leadStaffId, req.scheduledVisit.secondStaffId].includes(user.id);
	}
}

export function assertCanView(user: SessionUser, req: RequestListItem | null): asserts req is RequestListItem {
	// "Not found" for both: a 403 would confirm that a request with this id exists elsewhere.
	if (!req || !canViewRequest(user, req)) error(404, { message: 'err_not_found' });
}

export type ServiceNames = Map<string, string>;

export async function serviceNames(db: Db, locale: string): Promise<ServiceNames> {
	return new Map((await listServices(db)).map((s) => [s.code, locale === 'en' ? s.nameEn : s.nameZh]));
}

/** One request as a card in a list, masked for the viewer. */
export function requestCard(user: SessionUser, req: RequestListItem, names: ServiceNames, sla: SlaContext) {
	const resident = residentView(viewerOf(user), { ...req.resident, contactName: null, contactPhone: null, contactRelation: null }, scopeOf(req), 'list', config().idMaskPolicy);
	return {
		id: req.id,
		ref: req.ref,
		status: req.status as RequestStatus,
		nextStep: nextStep(req.status),
		urgency: req.urgency,
		createdAt: req.createdAt,
		communityName: req.communityName,
		outletName: req.outletName,
		resident: resident && { name: resident.name, address: resident.address, district: resident.district, mobility: resident.mobility, placeType: resident.placeType },
		services: req.services.map((code) => names.get(code) ?? code),
		windows: req.windows,
		visit: req.scheduledVisit && { date: req.scheduledVisit.date, start: req.scheduledVisit.start, end: req.scheduledVisit.end },
		sla: slaOf(sla, req)
	};
}
export type RequestCard = ReturnType<typeof requestCard>;
