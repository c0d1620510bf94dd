import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { dayParam, outletDay } from '$lib/server/views/day';
import { visitProgress } from '$lib/server/views/visit-progress';
import { listVisitsForOutlet } from '$lib/server/repos/visits';
import { localDate } from '$lib/domain/calendar';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'outlet_head');
	const db = await getDb();
	const date = dayParam(event.url.searchParams.get('date'));
	const day = await outletDay(db, user, date, getLocale());
	// What each team's tablet has synced so far (no positions on this overview).
	const visits = await listVisitsForOutlet(db, user.outletId ?? '', date);
	const progress = await visitProgress(db, visits.map((v) => ({ id: v.id, status: v.status, outcome: v.outcome, visitedAt: v.visitedAt, services: v.services })));
	const live = date === localDate(new Date().toISOString());
	return { ...day, progress: Object.fromEntries(progress), live };
};
