import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { config } from '$lib/server/config';
import { pageTileSource } from '$lib/server/map/page-source';
import { echoValues, readForm } from '$lib/server/http/form';
import { NEW_REQUEST_FORM_LIMITS } from '$lib/server/http/new-request-form';
import { parseNewRequest } from '$lib/server/http/new-request-form';
import { newRequestPageData } from '$lib/server/views/new-request';
import { submitRequest } from '$lib/server/workflow';
import { WorkflowError } from '$lib/server/workflow/errors';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'community_worker');
	const { tileUrl, tileAttribution } = config();
	return { ...(await newRequestPageData(await getDb(), user, getLocale())), tileUrl, tileAttribution, tileSource: pageTileSource() };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'community_worker');
		const parsed = parseNewRequest(await readForm(event.request, NEW_REQUEST_FORM_LIMITS));
		const values = echoValues(parsed.values);
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });
		let id: string;
		try {
			id = (await submitRequest(await getDb(), user, parsed.input)).id;
		} catch (err) {
			if (err instanceof WorkflowError) return fail(err.status, { values, errors: { _form: err.code } });
			throw err;
		}
		redirect(303, `/requests/${id}?created=1`);
	}
};
