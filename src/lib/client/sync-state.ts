/*
 * The sync state row of the user's database. Apart from db.ts, which imports Dexie itself: the
 * visit page's code (outbox.ts) reads it without pulling Dexie into the page's first load (the
 * store, with Dexie, is loaded when the app unlocks: state/field-store.ts).
 */
import type { DoorstepDb, SyncStateRow } from './db';

export async function readSyncState(db: DoorstepDb): Promise<SyncStateRow> {
	return (
		(await db.syncState.get('sync')) ?? { key: 'sync', deviceId: null, cursor: null, lastSuccessAt: null, lastError: null, lastAttemptAt: null }
	);
}

export async function writeSyncState(db: DoorstepDb, patch: Partial<Omit<SyncStateRow, 'key'>>): Promise<void> {
	await db.transaction('rw', db.syncState, async () => {
		await db.syncState.put({ ...(await readSyncState(db)), ...patch });
	});
}
