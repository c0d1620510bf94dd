import { getLocale } from '$lib/paraglide/runtime.js';
import { overviewData } from '$lib/server/admin/overview';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return overviewData(await getDb(), getLocale());
};
