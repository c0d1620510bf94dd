import { getLocale } from '$lib/paraglide/runtime.js';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		locale: getLocale(),
		user: user ? { displayName: user.displayName, role: user.role } : null
	};
};
