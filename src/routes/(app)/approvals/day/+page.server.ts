import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { dayParam, outletDay } from '$lib/server/views/day';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'outlet_head');
	return outletDay(await getDb(), user, dayParam(event.url.searchParams.get('date')), getLocale());
};
