/*
 * Revocation of this tablet (docs/sync-protocol.md § Revocation and wipe). The admin revoked it:
 * the tablet stops pulling, hands over everything it still holds (the outbox to the end, every
 * queued photo), and only when nothing is left to send wipes the user's store and caches.
 *
 * The decisions are pure functions over counts, so the rule "nothing is deleted while something
 * can still be sent" is tested directly; `readHandOver` reads those counts from the store.
 */
import type { DoorstepDb, LocalPhoto, OutboxEntry } from '../db';
import type { WipedReport } from './protocol';

/** What the tablet still holds, as counts. */
export interface HandOverState {
	revoked: boolean;
	/** Outbox entries still to be sent. */
	pendingMutations: number;
	/** Work the server refused: it becomes a `sync.discard` (sent), so it does not block the wipe for long. */
	rejectedWork: number;
	/** `sync.discard` entries the server refused: nothing more can be done with them. */
	refusedDiscards: number;
	/** Photos queued or being uploaded. */
	photosWaiting: number;
	/** Photos the server refused (4xx): they cannot be handed over. */
	photosRefused: number;
}

export type RevocationStep = 'active' | 'hand_over' | 'wipe';

/**
 * `active`: not revoked. `hand_over`: revoked, something can still be sent (or refused work still
 * needs its discard). `wipe`: revoked and nothing left that the server could take.
 */
export function revocationStep(s: HandOverState): RevocationStep {
	if (!s.revoked) return 'active';
	if (s.pendingMutations > 0 || s.rejectedWork > 0 || s.photosWaiting > 0) return 'hand_over';
	return 'wipe';
}

/** What the wipe report tells the server was lost (0 and 0 when everything was handed over). */
export function wipedReport(s: HandOverState): WipedReport {
	return { unsyncedMutations: s.pendingMutations + s.rejectedWork + s.refusedDiscards, unsyncedPhotos: s.photosWaiting + s.photosRefused };
}

/** Visits whose refused work must be discarded (with a `sync.discard`) so the outbox can empty. */
export function visitsToDiscard(entries: readonly Pick<OutboxEntry, 'entityId' | 'type' | 'status'>[]): string[] {
	return [...new Set(entries.filter((e) => e.status === 'rejected' && e.type !== 'sync.discard').map((e) => e.entityId))];
}

/** Counts the outbox and photos. */
export function handOverState(revoked: boolean, entries: readonly Pick<OutboxEntry, 'type' | 'status'>[], photos: readonly Pick<LocalPhoto, 'status'>[]): HandOverState {
	const discard = (e: Pick<OutboxEntry, 'type'>) => e.type === 'sync.discard';
	return {
		revoked,
		pendingMutations: entries.filter((e) => e.status === 'pending').length,
		rejectedWork: entries.filter((e) => e.status === 'rejected' && !discard(e)).length,
		refusedDiscards: entries.filter((e) => e.status === 'rejected' && discard(e)).length,
		photosWaiting: photos.filter((p) => p.status === 'queued' || p.status === 'uploading').length,
		photosRefused: photos.filter((p) => p.status === 'refused').length
	};
}

/** Reads the hand-over state from the user's store. */
export async function readHandOver(db: DoorstepDb): Promise<HandOverState> {
	return db.transaction('r', db.outbox, db.photos, db.syncState, async () => {
		const state = await db.syncState.get('sync');
		return handOverState(!!state?.revoked, await db.outbox.toArray(), await db.photos.where('status').anyOf('queued', 'uploading', 'refused').toArray());
	});
}

/**
 * Caches of the service worker that may reveal personal data: map tiles around the residents'
 * homes. (Photos and drafts live only in the user's IndexedDB, deleted with it.)
 */
export const PERSONAL_CACHE_PATTERN = /^doorstep-tiles/;

/** Deletes those caches; where the Cache API is missing there is nothing to delete. */
export async function deletePersonalCaches(cacheStorage: CacheStorage | undefined = globalThis.caches): Promise<string[]> {
	if (!cacheStorage) return [];
	const names = (await cacheStorage.keys()).filter((n) => PERSONAL_CACHE_PATTERN.test(n));
	await Promise.all(names.map((n) => cacheStorage.delete(n)));
	return names;
}

export interface WipeDeps {
	db: DoorstepDb;
	/** Deletes the user's database (db.ts `deleteUserDb`). */
	deleteDb: (userId: string) => Promise<void>;
	/** `POST /api/sync/wiped` (the transport's `reportWiped`). */
	reportWiped: (report: WipedReport, deviceId: string) => Promise<void>;
	cacheStorage?: CacheStorage;
}

/**
 * Wipes a revoked tablet when the hand-over is complete: the user's database, then the caches,
 * then the report to the server (it needs the device id, read before the database goes; if the
 * report fails, the wipe still stands). Returns null, touching nothing, while something can still
 * be sent.
 */
export async function wipeIfHandedOver(deps: WipeDeps): Promise<WipedReport | null> {
	const state = await readHandOver(deps.db);
	if (revocationStep(state) !== 'wipe') return null;
	const deviceId = (await deps.db.syncState.get('sync'))?.deviceId ?? null;
	const report = wipedReport(state);
	await deps.deleteDb(deps.db.userId);
	await deletePersonalCaches(deps.cacheStorage).catch(() => []);
	if (deviceId) await deps.reportWiped(report, deviceId).catch(() => undefined);
	return report;
}
