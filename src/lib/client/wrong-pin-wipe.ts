/*
 * Too many wrong PINs (issue 6): whoever holds the tablet is taken not to be its user. The PIN
 * wrapping of the data key is gone already (crypto/device-keys.ts); this erases what the tablet
 * holds only as a copy of the server's data (visits without unsynced work, their drafts, every
 * resident, photos the server has and whose visit has no unsynced work), so that only the
 * unsynced work stays, still sealed, to be handed over after the next online sign-in. The pull
 * cursor is cleared, so that sign-in's first pull sends the day again in full.
 *
 * It runs without the data key: it decides on the fields that stay readable in a sealed row
 * (db.ts SEALED_TABLES: ids, outbox entity and status, photo visit and receipt).
 */
import { readLock } from './crypto/device-keys';

export interface WipeInput {
	visitIds: string[];
	draftIds: string[];
	residentIds: string[];
	/** The visit each outbox entry is about: everything in the outbox is unsynced work. */
	outboxEntityIds: string[];
	photos: Array<{ id: string; visitId: string; hasReceipt: boolean }>;
}

export interface WipePlan {
	visits: string[];
	drafts: string[];
	residents: string[];
	photos: string[];
}

/** What to delete (pure): everything but the visits with unsynced work and what they need. */
export function planWrongPinWipe(input: WipeInput): WipePlan {
	const withWork = new Set(input.outboxEntityIds);
	// A photo without a receipt is unsynced work of its visit; one with a receipt stays only while
	// its visit's mutations are unsynced (the same rule as photos/retention.ts).
	for (const p of input.photos) if (!p.hasReceipt) withWork.add(p.visitId);
	return {
		visits: input.visitIds.filter((id) => !withWork.has(id)),
		drafts: input.draftIds.filter((id) => !withWork.has(id)),
		// Residents are sealed whole, so which visit needs which is unknown here: all go, and the
		// full pull after the sign-in brings back those of the visits still assigned.
		residents: input.residentIds,
		photos: input.photos.filter((p) => !withWork.has(p.visitId)).map((p) => p.id)
	};
}

/** Erases the server copies from the user's (closed) database; returns what it deleted. */
export async function wipeAfterWrongPins(dbName: string): Promise<WipePlan | null> {
	// Loaded here, not with the lock screen: only this rare path needs Dexie before an unlock.
	const { default: Dexie } = await import('dexie');
	if (!(await Dexie.exists(dbName))) return null;
	// No schema and no sealing middleware: the stored rows as they are, clear fields only.
	const raw = new Dexie(dbName);
	await raw.open();
	try {
		const has = (name: string) => raw.tables.some((t) => t.name === name);
		const photoTables = ['photos', 'photoBytes', 'legacyPhotoBytes'].filter(has);
		const tables = ['visits', 'drafts', 'residents', 'outbox', 'syncState', ...photoTables].filter(has);
		return await raw.transaction('rw', tables, async () => {
			const photos = has('photos') ? ((await raw.table('photos').toArray()) as Array<{ id: string; visitId: string; receipt?: unknown }>) : [];
			const plan = planWrongPinWipe({
				visitIds: (await raw.table('visits').toCollection().primaryKeys()) as string[],
				draftIds: (await raw.table('drafts').toCollection().primaryKeys()) as string[],
				residentIds: (await raw.table('residents').toCollection().primaryKeys()) as string[],
				outboxEntityIds: ((await raw.table('outbox').toArray()) as Array<{ entityId: string }>).map((e) => e.entityId),
				photos: photos.map((p) => ({ id: p.id, visitId: p.visitId, hasReceipt: p.receipt != null }))
			});
			await raw.table('visits').bulkDelete(plan.visits);
			await raw.table('drafts').bulkDelete(plan.drafts);
			await raw.table('residents').bulkDelete(plan.residents);
			for (const table of photoTables) await raw.table(table).bulkDelete(plan.photos);
			await raw.table('syncState').where('key').equals('sync').modify({ cursor: null });
			return plan;
		});
	} finally {
		raw.close();
	}
}

/**
 * After too many wrong PINs (the lock record says sign out first), until the next sign-in: wipes
 * the user's server copies. Idempotent and touching no unsynced work, so the field session calls
 * it at the wrong PIN and again at each start, in case the page closed before it ended.
 */
export async function wipeIfPinKeyGone(userId: string): Promise<void> {
	if (!readLock(userId)?.signOutFirst) return;
	const { userDbName } = await import('./db');
	await wipeAfterWrongPins(userDbName(userId)).catch(() => null);
}
