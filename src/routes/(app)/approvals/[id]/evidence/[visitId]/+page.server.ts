import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { requestDetail } from '$lib/server/views/request-detail';
import { evidenceContext, visitEvidence } from '$lib/server/views/visit-evidence';
import { latestAuditEntryFor } from '$lib/server/audit-chain/store';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { PageServerLoad } from './$types';

/** The printable A4 evidence sheet of one visit (outlet head of the request's outlet). */
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'outlet_head');
	const db = await getDb();
	const detail = await requestDetail(db, user, event.params.id, getLocale());
	const evidence = (await visitEvidence(db, user, await evidenceContext(db, detail, user.outletId ?? ''))).find((e) => e.visitId === event.params.visitId);
	if (!evidence) error(404, 'err_not_found');
	event.setHeaders({ 'cache-control': 'no-store' });
	return {
		ref: detail.request.ref,
		outletName: detail.request.outletName,
		communityName: detail.request.communityName,
		services: detail.request.services,
		resident: detail.resident && { name: detail.resident.name, idNumberMasked: detail.resident.idNumberMasked, address: detail.resident.address },
		evidence,
		// The newest hash-chained audit entry about the visit: it seals everything logged before it.
		audit: await latestAuditEntryFor(db, 'visit', evidence.visitId),
		printedBy: user.displayName,
		printedAt: new Date().toISOString()
	};
};
