import { getLocale } from '$lib/paraglide/runtime.js';
import { assertAreaRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { countUnread } from '$lib/server/notify/store';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	assertAreaRole(user, url.pathname);
	return {
		locale: getLocale(),
		user: user ? { displayName: user.displayName, role: user.role } : null,
		// The bell in the header (issue 15); counted again after every action and navigation.
		unreadNotifications: user ? await countUnread(await getDb(), user.id) : 0
	};
};
