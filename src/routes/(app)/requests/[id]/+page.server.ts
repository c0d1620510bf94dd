import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { cancelSchema, fieldErrors } from '$lib/domain/schemas';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { formToObject } from '$lib/server/http/form';
import { requestDetail } from '$lib/server/views/request-detail';
import { cancelRequest } from '$lib/server/workflow';
import { WorkflowError } from '$lib/server/workflow/errors';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'community_worker');
	return requestDetail(await getDb(), user, event.params.id, getLocale());
};

export const actions: Actions = {
	cancel: async (event) => {
		const user = requireRole(event, 'community_worker');
		const raw = formToObject(await event.request.formData());
		const parsed = v.safeParse(cancelSchema, raw);
		if (!parsed.success) return fail(400, { action: 'cancel', values: raw, errors: fieldErrors(parsed.issues) });
		try {
			await cancelRequest(await getDb(), user, event.params.id, parsed.output);
		} catch (err) {
			if (err instanceof WorkflowError) return fail(err.status, { action: 'cancel', values: raw, errors: { _form: err.code } });
			throw err;
		}
		redirect(303, `/requests/${event.params.id}`);
	}
};
