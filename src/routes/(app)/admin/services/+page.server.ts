import { adminAction } from '$lib/server/admin/action';
import { serviceSchema, serviceEditSchema } from '$lib/domain/schemas';
import { createServiceAsAdmin, editService, servicesPageData } from '$lib/server/admin/services';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return servicesPageData(await getDb());
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'create', serviceSchema, async ({ db, input }) => {
			await createServiceAsAdmin(db, actor, input);
			return 'admin_notice_service_created';
		});
	},
	update: async (event) => {
		const actor = requireRole(event, 'admin');
		// The code travels as `id` and is never taken from an editable field: it cannot change.
		return adminAction(event, actor, 'update', serviceEditSchema, async ({ db, input, id }) => {
			await editService(db, actor, id, input);
			return 'admin_notice_service_updated';
		});
	}
};
