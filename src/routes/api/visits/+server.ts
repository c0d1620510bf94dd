import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { dayParam, outletDay, staffDay } from '$lib/server/views/day';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { RequestHandler } from './$types';

/** Visits of a day: a field worker's own, or the whole outlet's for its head. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff', 'outlet_head');
	const date = dayParam(event.url.searchParams.get('date'));
	const db = await getDb();
	return json(user.role === 'field_staff' ? await staffDay(db, user, date, getLocale()) : await outletDay(db, user, date, getLocale()));
};
