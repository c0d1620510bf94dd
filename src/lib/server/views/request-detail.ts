import { residentView, canRevealIdNumber } from '$lib/domain/privacy';
import { allowedEvents, type RequestStatus } from '$lib/domain/status';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getRequestDetail } from '$lib/server/repos/requests';
import { getResident } from '$lib/server/repos/residents';
import { listAuditForRequest } from '$lib/server/repos/audit';
import { timelineView } from './timeline-view';
import { listUsers } from '$lib/server/repos/users';
import { assertCanView, serviceNames } from './requests';
import { loadSlaContext, slaOf } from './sla';
import { scopeOf, viewerOf } from './viewer';

/** A request with its resident (masked for the viewer), consent, visit and timeline. */
export async function requestDetail(db: Db, user: SessionUser, id: string, locale: string) {
	const req = await getRequestDetail(db, id);
	assertCanView(user, req);
	const full = await getResident(db, req.residentId);
	const scope = scopeOf(req);
	const resident = full && residentView(viewerOf(user), full, scope, user.role === 'field_staff' ? 'visit' : 'detail', config().idMaskPolicy);
	const [names, sla, audit] = await Promise.all([serviceNames(db, locale), loadSlaContext(db), listAuditForRequest(db, id)]);
	const staffNames = new Map((await listUsers(db, { outletId: req.outletId })).map((u) => [u.id, u.displayName]));
	const v = req.scheduledVisit;
	return {
		request: {
			id: req.id,
			ref: req.ref,
			status: req.status as RequestStatus,
			urgency: req.urgency,
			createdAt: req.createdAt,
			decidedAt: req.decidedAt,
			decisionReason: req.decisionReason,
			notes: req.notes,
			services: req.services.map((code) => ({ code, name: names.get(code) ?? code })),
			windows: req.windows,
			communityName: req.communityName,
			outletName: req.outletName,
			version: req.version,
			consent: { by: req.consentBy, name: req.consentName, relation: req.consentRelation, version: req.consentVersion, at: req.consentAt },
			sla: slaOf(sla, req),
			events: allowedEvents(req.status as RequestStatus)
		},
		visit: v && {
			id: v.id,
			date: v.date,
			start: v.start,
			end: v.end,
			leadStaffId: v.leadStaffId,
			secondStaffId: v.secondStaffId,
			leadStaffName: staffNames.get(v.leadStaffId) ?? '',
			secondStaffName: staffNames.get(v.secondStaffId) ?? ''
		},
		resident,
		canReveal: canRevealIdNumber(viewerOf(user), scope),
		timeline: timelineView(audit, user.role)
	};
}
export type RequestDetail = Awaited<ReturnType<typeof requestDetail>>;
