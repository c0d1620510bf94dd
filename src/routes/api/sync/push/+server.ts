import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { handlePush } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** A batch of the tablet's mutations, applied in order, exactly once each (docs/sync-protocol.md). */
export const POST: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	return handlePush(await getDb(), user, event.request);
};
