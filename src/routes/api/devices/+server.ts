import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { handleListDevices, handleRegisterDevice } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** Registers this tablet for the signed-in field worker: `{ label }` → the device with its id. */
export const POST: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	return handleRegisterDevice(await getDb(), user, event.request);
};

/** The signed-in field worker's tablets. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'field_staff');
	return handleListDevices(await getDb(), user);
};
