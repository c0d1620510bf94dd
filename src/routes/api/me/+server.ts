import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import type { RequestHandler } from './$types';

/** Who is signed in: the field app uses it to open the right device store. */
export const GET: RequestHandler = (event) => {
	const user = requireRole(event);
	return json({ id: user.id, username: user.username, displayName: user.displayName, role: user.role, outletId: user.outletId, communityId: user.communityId });
};
