import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { deviceSecretFor } from '$lib/server/devices/secret';
import type { RequestHandler } from './$types';

/**
 * The signed-in field worker's recovery secret: the tablet wraps its data key under it, so an
 * encrypted store locked by too many wrong PINs is opened again at the next online sign-in.
 * Never cached (no-store) and never logged; it is not the PIN and opens nothing on the server.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	return json({ secret: await deviceSecretFor(await getDb(), user.id) }, { headers: { 'cache-control': 'no-store' } });
};
