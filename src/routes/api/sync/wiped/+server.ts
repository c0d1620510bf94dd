import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { handleWiped } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** A revoked tablet reports its wipe: `{ unsyncedMutations, unsyncedPhotos }` (docs/sync-protocol.md). */
export const POST: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	return handleWiped(await getDb(), user, event.request);
};
