import { redirect, type RequestHandler } from '@sveltejs/kit';
import { endSession } from '$lib/server/auth/session';

/** Sign-out changes state, so only a POST from our pages (CSRF-checked) ends the session. */
export const POST: RequestHandler = async (event) => {
	await endSession(event);
	redirect(303, '/login');
};

/**
 * A typed or bookmarked /logout: no 405 page. It does not sign out (a GET must not change
 * state; any site could link here), it goes home, where the header offers 退出登录.
 */
export const GET: RequestHandler = () => {
	redirect(303, '/');
};
