import { redirect, type RequestHandler } from '@sveltejs/kit';
import { endSession } from '$lib/server/auth/session';

export const POST: RequestHandler = async (event) => {
	await endSession(event);
	redirect(303, '/login');
};
