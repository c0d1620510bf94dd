import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/**
 * Any address no page answers: a 404 rendered inside the app's layout (header, navigation,
 * language switch, sign-out) by (app)/+error.svelte, instead of a bare page.
 */
export const load: PageServerLoad = () => {
	error(404, 'err_not_found');
};
