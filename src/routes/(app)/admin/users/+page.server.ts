import { userCreateSchema } from '$lib/domain/schemas';
import { adminAction } from '$lib/server/admin/action';
import { idOnlySchema, passwordResetSchema, userEditSchema } from '$lib/domain/schemas';
import { createAccount, editAccount, resetPassword, setAccountActive } from '$lib/server/admin/users';
import { parseUserFilters, usersPageData } from '$lib/server/admin/users-view';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	const filters = parseUserFilters(event.url.searchParams);
	return { filters, selfId: actor.id, ...(await usersPageData(await getDb(), filters)) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'create', userCreateSchema, async ({ db, input }) => {
			await createAccount(db, actor, input);
			return 'admin_notice_user_created';
		});
	},
	update: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'update', userEditSchema, async ({ db, input }) => {
			await editAccount(db, actor, input);
			return 'admin_notice_user_updated';
		});
	},
	deactivate: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'deactivate', idOnlySchema, async ({ db, input }) => {
			await setAccountActive(db, actor, input.id, false);
			return 'admin_notice_user_deactivated';
		});
	},
	reactivate: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'reactivate', idOnlySchema, async ({ db, input }) => {
			await setAccountActive(db, actor, input.id, true);
			return 'admin_notice_user_reactivated';
		});
	},
	resetPassword: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'resetPassword', passwordResetSchema, async ({ db, input }) => {
			await resetPassword(db, actor, input.id, input.password);
			return 'admin_notice_password_reset';
		});
	}
};
