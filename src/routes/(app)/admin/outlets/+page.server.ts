import { communitySchema, outletSchema } from '$lib/domain/schemas';
import { adminAction } from '$lib/server/admin/action';
import { createCommunityAsAdmin, createOutletAsAdmin, editCommunity, editOutlet, outletsPageData } from '$lib/server/admin/outlets';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return outletsPageData(await getDb());
};

export const actions: Actions = {
	createOutlet: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'createOutlet', outletSchema, async ({ db, input }) => {
			await createOutletAsAdmin(db, actor, input);
			return 'admin_notice_outlet_created';
		});
	},
	updateOutlet: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'updateOutlet', outletSchema, async ({ db, input, id }) => {
			await editOutlet(db, actor, id, input);
			return 'admin_notice_outlet_updated';
		});
	},
	createCommunity: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'createCommunity', communitySchema, async ({ db, input }) => {
			await createCommunityAsAdmin(db, actor, input);
			return 'admin_notice_community_created';
		});
	},
	updateCommunity: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'updateCommunity', communitySchema, async ({ db, input, id }) => {
			await editCommunity(db, actor, id, input);
			return 'admin_notice_community_updated';
		});
	}
};
