import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { handlePull } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** The user's visits changed since the cursor in the body, withdrawn ids, the next cursor. */
export const POST: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	return handlePull(await getDb(), user, event.request);
};
