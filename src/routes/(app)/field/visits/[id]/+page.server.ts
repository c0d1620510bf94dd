import { redirect } from '@sveltejs/kit';
import { outcomeSchema } from '$lib/domain/schemas';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { formAction } from '$lib/server/http/action';
import { formVersion } from '$lib/server/http/form';
import { fieldVisit } from '$lib/server/views/field';
import { getVisitDetail } from '$lib/server/repos/visits';
import { recordOutcome } from '$lib/server/workflow';
import { WorkflowError } from '$lib/server/workflow/errors';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'field_staff');
	return fieldVisit(await getDb(), user, event.params.id, getLocale());
};

export const actions: Actions = {
	outcome: async (event) => {
		const r = await formAction(event, { action: 'outcome', roles: ['field_staff'], schema: outcomeSchema }, async (db, user, input, raw) => {
			const visit = await getVisitDetail(db, event.params.id);
			if (!visit) throw new WorkflowError('err_not_found', 404);
			return recordOutcome(db, user, visit.requestId, { ...input, version: formVersion(raw) });
		});
		if (!r.ok) return r.failure;
		redirect(303, `/field/visits/${event.params.id}?done=outcome`);
	}
};
