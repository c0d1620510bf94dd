import { getLocale } from '$lib/paraglide/runtime.js';
import { parseRequestFilters, requestsPageData } from '$lib/server/admin/requests-view';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

/** Read-only: the admin oversees requests but decides nothing on them (the outlet heads do). */
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'admin');
	const filters = parseRequestFilters(event.url.searchParams);
	return { filters, ...(await requestsPageData(await getDb(), user, filters, getLocale())) };
};
