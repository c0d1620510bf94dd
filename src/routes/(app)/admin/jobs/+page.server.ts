import { fail } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { countJobsByStatus, listJobs, retryDeadJob } from '$lib/server/jobs/queue';
import type { Actions, PageServerLoad } from './$types';

/** The job queue for the administrator: counts per state and the dead jobs (issue 15). */
export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const db = await getDb();
	const dead = await listJobs(db, { statuses: ['dead'], limit: 200 });
	const refs = dead.length
		? new Map((await db.selectFrom('requests').select(['id', 'ref']).where('id', 'in', [...new Set(dead.map((j) => j.requestId).filter((id): id is string => !!id))].concat([''])).execute()).map((r) => [r.id, r.ref]))
		: new Map<string, string>();
	return {
		locale: getLocale(),
		counts: await countJobsByStatus(db),
		// Payloads stay on the server: only what the admin needs to act.
		dead: dead.map((j) => ({ id: j.id, kind: j.kind, ref: j.requestId ? (refs.get(j.requestId) ?? null) : null, attempts: j.attempts, lastError: j.lastError, updatedAt: j.updatedAt, retryable: j.lastError !== 'outcome_unknown' }))
	};
};

export const actions: Actions = {
	retry: async (event) => {
		requireRole(event, 'admin');
		const form = await event.request.formData().catch(() => null);
		const id = form?.get('id');
		if (typeof id !== 'string' || !id || id.length > 64) return fail(400, { error: 'err_bad_request' });
		if (!(await retryDeadJob(await getDb(), id, new Date()))) return fail(409, { error: 'jobs_err_not_retryable' });
		return { done: true };
	}
};
