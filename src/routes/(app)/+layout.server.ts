import { getLocale } from '$lib/paraglide/runtime.js';
import { assertAreaRole } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const user = locals.user;
	assertAreaRole(user, url.pathname);
	return {
		locale: getLocale(),
		user: user ? { displayName: user.displayName, role: user.role } : null
	};
};
