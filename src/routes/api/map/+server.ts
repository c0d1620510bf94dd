import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { pageTileSource } from '$lib/server/map/page-source';
import type { RequestHandler } from './$types';

/**
 * The map tile source for the client-rendered field app (server pages get it in their load).
 * The field app keeps the answer, so its maps open offline too.
 */
export const GET: RequestHandler = (event) => {
	requireRole(event);
	return json({ source: pageTileSource() });
};
