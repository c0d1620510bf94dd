import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { handlePush } from '$lib/server/sync/http';
import { photoStorage } from '$lib/server/photos/storage';
import { drainQueuedDeletions } from '$lib/server/photos/superseded';
import type { RequestHandler } from './$types';

/** A batch of the tablet's mutations, applied in order, exactly once each (docs/sync-protocol.md). */
export const POST: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	const db = await getDb();
	const response = await handlePush(db, user, event.request);
	// After the commit: objects of photos a completion superseded (kept queued if this fails).
	void photoStorage()
		.then((storage) => drainQueuedDeletions(db, storage))
		.catch(() => console.warn('photo deletions: storage unavailable, kept for the next push'));
	return response;
};
