import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { dayParam, staffDay } from '$lib/server/views/day';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'field_staff');
	return staffDay(await getDb(), user, dayParam(event.url.searchParams.get('date')), getLocale());
};
