import { redirect } from '@sveltejs/kit';
import { cancelSchema } from '$lib/domain/schemas';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { formAction } from '$lib/server/http/action';
import { formVersion } from '$lib/server/http/form';
import { requestDetail } from '$lib/server/views/request-detail';
import { cancelRequest } from '$lib/server/workflow';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'community_worker');
	return requestDetail(await getDb(), user, event.params.id, getLocale());
};

export const actions: Actions = {
	cancel: async (event) => {
		const r = await formAction(event, { action: 'cancel', roles: ['community_worker'], schema: cancelSchema }, (db, user, input, raw) =>
			cancelRequest(db, user, event.params.id, { ...input, version: formVersion(raw) })
		);
		if (!r.ok) return r.failure;
		redirect(303, `/requests/${event.params.id}`);
	}
};
