import { getDb } from '$lib/server/db';
import { healthResponse, readiness } from '$lib/server/http/health';
import { photoStorage } from '$lib/server/photos/storage';
import type { RequestHandler } from './$types';

/** Database and photo storage reachable, not draining: 200; else 503 (http/health.ts). */
export const GET: RequestHandler = async () => {
	const r = await readiness(getDb, photoStorage);
	return healthResponse({ status: r.ready ? 'ready' : 'unavailable', database: r.database, storage: r.storage, draining: r.draining }, r.ready ? 200 : 503);
};
