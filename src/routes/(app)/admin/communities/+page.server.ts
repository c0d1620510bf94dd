import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Communities are managed with their outlets: an address people guess goes to that section. */
export const load: PageServerLoad = () => {
	redirect(308, '/admin/outlets#communities-heading');
};
