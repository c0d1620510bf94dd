import { error } from '@sveltejs/kit';
import { residentView } from '$lib/domain/privacy';
import { CONSENT_TEXTS, CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import { localDate } from '$lib/domain/calendar';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getCommunity } from '$lib/server/repos/communities';
import { listResidents } from '$lib/server/repos/residents';
import { listServices } from '$lib/server/repos/services';
import { viewerOf } from './viewer';

/** What the community worker's "new request" form needs, masked for that worker. */
export async function newRequestPageData(db: Db, user: SessionUser, locale: string) {
	if (!user.communityId) error(403, { message: 'err_forbidden' });
	const community = await getCommunity(db, user.communityId);
	if (!community) error(403, { message: 'err_forbidden' });
	const viewer = viewerOf(user);
	const scope = { communityId: community.id, outletId: community.outletId, assignedStaffIds: [] };
	const residents = (await listResidents(db, community.id))
		.map((r) => residentView(viewer, r, scope, 'detail', config().idMaskPolicy))
		.filter((r) => r !== null)
		.map((r) => ({ id: r.id, name: r.name, phone: r.phone, idNumberMasked: r.idNumberMasked }));
	const services = (await listServices(db, { activeOnly: true })).map((s) => ({
		code: s.code,
		name: locale === 'en' ? s.nameEn : s.nameZh,
		durationMin: s.durationMin
	}));
	const consent = CONSENT_TEXTS[CURRENT_CONSENT_VERSION];
	return {
		communityName: community.name,
		/** The community's 街道: the default of a new resident's sub-district. */
		communityDistrict: community.district,
		residents,
		services,
		consentVersion: CURRENT_CONSENT_VERSION,
		consentText: locale === 'en' ? consent.en : consent.zh,
		today: localDate(new Date().toISOString())
	};
}
