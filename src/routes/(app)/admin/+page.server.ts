import { getLocale } from '$lib/paraglide/runtime.js';
import { overviewData } from '$lib/server/admin/overview';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { countJobsByStatus } from '$lib/server/jobs/queue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const db = await getDb();
	// Reminders that gave up (dead jobs) are the admin's to look at (issue 15): shown up front.
	const [overview, jobs] = await Promise.all([overviewData(db, getLocale()), countJobsByStatus(db)]);
	return { ...overview, deadJobs: jobs.dead };
};
