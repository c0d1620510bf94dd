import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { handlePhotoGet, handlePhotoPut } from '$lib/server/photos/http';
import { photoStorage } from '$lib/server/photos/storage';
import type { RequestHandler } from './$types';

/** Upload of one identity-verification photo (the body is the JPEG; metadata in headers). */
export const PUT: RequestHandler = async (event) => {
	// Any signed-in role reaches the use case, which answers photo_err_not_your_visit to all
	// but the visit's team: the tablet shows that reason rather than a generic refusal.
	const user = requireRole(event);
	return handlePhotoPut(await getDb(), await photoStorage(), user, event.params.id, event.request);
};

/** The photo's bytes, for the outlet's head and staff and the admin (404 for anyone else). */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event);
	return handlePhotoGet(await getDb(), await photoStorage(), user, event.params.id);
};
