import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { outletInbox } from '$lib/server/views/inbox';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'outlet_head');
	return outletInbox(await getDb(), user, getLocale());
};
