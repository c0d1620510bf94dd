/*
 * Health endpoints for load balancers and orchestrators (issue 12). No session, no personal data.
 * - GET /healthz: the process is up and serving (200), also while it drains.
 * - GET /readyz: this process can do its work: the database answers `select 1` and the photo
 *   storage answers a lookup, each within a bound; 503 otherwise, and 503 from the moment a
 *   SIGTERM was received, so a proxy stops sending new requests while in-flight ones finish.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { PhotoStorage } from '$lib/server/photos/storage';

const CHECK_TIMEOUT_MS = 3_000;
/** A hash no photo has (64 zeros): a cheap "is the storage there" lookup. */
const PROBE_HASH = '0'.repeat(64);

let draining = false;

/** Called at SIGTERM: from now on /readyz answers 503. */
export function markDraining(): void {
	draining = true;
}

export const isDraining = (): boolean => draining;

async function within(work: () => Promise<unknown>): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([work(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS)))]);
		return true;
	} catch {
		return false;
	} finally {
		clearTimeout(timer);
	}
}

export interface Readiness {
	ready: boolean;
	database: boolean;
	storage: boolean;
	draining: boolean;
}

export async function readiness(db: () => Promise<Kysely<Database>>, storage: () => Promise<PhotoStorage>): Promise<Readiness> {
	const [database, store] = await Promise.all([
		within(async () => sql`select 1`.execute(await db())),
		within(async () => (await storage()).has(PROBE_HASH))
	]);
	return { ready: database && store && !draining, database, storage: store, draining };
}

export function healthResponse(body: object, status: number): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
