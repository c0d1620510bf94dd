import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { requestDetail } from '$lib/server/views/request-detail';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { RequestHandler } from './$types';

/** One request with resident (masked for the viewer), visit and timeline. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'community_worker', 'outlet_head', 'admin', 'field_staff');
	return json(await requestDetail(await getDb(), user, event.params.id, getLocale()));
};
