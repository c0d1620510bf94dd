/*
 * The storage janitor (issue 12): a killed upload leaves bytes no row points at — a complete
 * temporary file (killed before the rename / copy) or a final object (killed after it, before
 * the row committed). They hold customers' ID photos, so they must not stay. The janitor removes
 *   - temporary uploads older than an hour, and
 *   - stored objects older than an hour that no photo row points at,
 * so an upload in flight (bytes stored, row not yet committed) is never touched: a put of bytes
 * already stored touches the object, which makes it young again. Right before removing an object
 * the janitor asks the database and the object's age once more.
 * It also drains the queue of superseded photo objects and forgets idle rate-limit buckets.
 * One process at a time (PostgreSQL advisory lock; a busy lock means another process is on it),
 * at start and periodically (hooks.server.ts). It logs counts only and writes an audit entry
 * (branch-wide chain) when it removed anything.
 */
import { recordAudit } from '$lib/server/audit';
import { ifAdvisoryLockFree, LOCK_KEYS } from '$lib/server/db/advisory-lock';
import type { Db } from '$lib/server/repos/common';
import { pruneRateLimits } from '$lib/server/security/shared-rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { PhotoStorage, StoredItem } from './storage';
import { drainPhotoDeletions } from './superseded';

export const JANITOR_MIN_AGE_MS = 60 * 60_000;
export const JANITOR_EVERY_MS = 15 * 60_000;
const PAGE = 500;

export interface JanitorReport {
	tempsRemoved: number;
	orphansRemoved: number;
	objectsKept: number;
	queuedRemoved: number;
	rateBucketsPruned: number;
}

async function referenced(db: Db, hashes: string[]): Promise<Set<string>> {
	if (hashes.length === 0) return new Set();
	const rows = await db.selectFrom('photos').select('sha256').where('sha256', 'in', hashes).execute();
	return new Set(rows.map((r) => r.sha256));
}

async function sweepObjects(db: Db, storage: PhotoStorage, cutoff: number): Promise<{ removed: number; kept: number }> {
	let removed = 0;
	let kept = 0;
	const flush = async (page: StoredItem[]) => {
		const used = await referenced(db, page.map((o) => o.name));
		for (const o of page) {
			if (used.has(o.name) || o.modifiedMs > cutoff) {
				kept++;
				continue;
			}
			// Once more, just before: a row committed meanwhile, or a put touched it.
			if ((await referenced(db, [o.name])).size > 0 || ((await storage.modifiedAt(o.name)) ?? 0) > cutoff) {
				kept++;
				continue;
			}
			await storage.remove(o.name);
			removed++;
		}
	};
	let page: StoredItem[] = [];
	for await (const o of storage.listObjects()) {
		page.push(o);
		if (page.length >= PAGE) {
			await flush(page);
			page = [];
		}
	}
	await flush(page);
	return { removed, kept };
}

/** One sweep, whoever else runs (tests; `runJanitorOnce` is what the server calls). */
export async function sweepStorage(db: Db, storage: PhotoStorage, nowMs: number = Date.now()): Promise<JanitorReport> {
	const cutoff = nowMs - JANITOR_MIN_AGE_MS;
	let tempsRemoved = 0;
	const oldTemps: string[] = [];
	for await (const t of storage.listTemps()) if (t.modifiedMs <= cutoff) oldTemps.push(t.name);
	for (const name of oldTemps) {
		await storage.removeTemp(name);
		tempsRemoved++;
	}
	const queuedRemoved = await drainPhotoDeletions(db, storage);
	const objects = await sweepObjects(db, storage, cutoff);
	const rateBucketsPruned = await pruneRateLimits(db, nowMs);
	const report = { tempsRemoved, orphansRemoved: objects.removed, objectsKept: objects.kept, queuedRemoved, rateBucketsPruned };
	if (tempsRemoved + objects.removed > 0) {
		await recordAudit(db, { actorId: null, action: 'storage_janitor', entity: 'photo_storage', entityId: storage.kind, outletId: null, details: { tempsRemoved, orphansRemoved: objects.removed, objectsKept: objects.kept }, at: new Date(nowMs) });
	}
	return report;
}

/** A sweep if no other process is sweeping (null then); logs counts only. */
export async function runJanitorOnce(db: Kysely<Database>, storage: PhotoStorage, nowMs: number = Date.now()): Promise<JanitorReport | null> {
	const report = await ifAdvisoryLockFree(db, LOCK_KEYS.janitor, () => sweepStorage(db, storage, nowMs));
	if (report) {
		console.log(`[doorstep] storage janitor: ${report.tempsRemoved} temporary uploads and ${report.orphansRemoved} unreferenced objects removed, ${report.objectsKept} objects kept, ${report.queuedRemoved} superseded removed`);
	}
	return report;
}

/** At start and every JANITOR_EVERY_MS; a failure is logged and tried again next time. */
export function startJanitor(db: Kysely<Database>, storage: () => Promise<PhotoStorage>, everyMs = JANITOR_EVERY_MS): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await runJanitorOnce(db, await storage());
		} catch (err) {
			console.warn(`[doorstep] storage janitor failed: ${err instanceof Error ? err.name : 'error'}; trying again later`);
		} finally {
			running = false;
		}
	};
	void tick();
	const timer = setInterval(() => void tick(), everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
