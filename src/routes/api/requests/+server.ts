import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listAllRequests, listCommunityRequests, listOutletInbox } from '$lib/server/repos/requests';
import { requestCard, serviceNames } from '$lib/server/views/requests';
import { loadSlaContext } from '$lib/server/views/sla';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { RequestHandler } from './$types';

/** The requests this user may see, masked for them (worker: own community; head: own outlet). */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'community_worker', 'outlet_head', 'admin');
	const db = await getDb();
	const items =
		user.role === 'community_worker'
			? await listCommunityRequests(db, user.communityId ?? '', { limit: 300 })
			: user.role === 'outlet_head'
				? await listOutletInbox(db, user.outletId ?? '', { statuses: [], limit: 300 })
				: await listAllRequests(db, { limit: 300 });
	const [names, sla] = await Promise.all([serviceNames(db, getLocale()), loadSlaContext(db)]);
	return json({ requests: items.map((r) => requestCard(user, r, names, sla)) });
};
