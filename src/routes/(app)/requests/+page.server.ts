import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listCommunityRequests } from '$lib/server/repos/requests';
import { requestCard, serviceNames } from '$lib/server/views/requests';
import { loadSlaContext } from '$lib/server/views/sla';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'community_worker');
	const db = await getDb();
	const [items, names, sla] = await Promise.all([
		listCommunityRequests(db, user.communityId ?? '', { limit: 300 }),
		serviceNames(db, getLocale()),
		loadSlaContext(db)
	]);
	return { cards: items.map((r) => requestCard(user, r, names, sla)) };
};
