/*
 * Photos the team replaced or deleted on the tablet after they were uploaded (privacy: an ID
 * card photo nobody uses is not kept). When a visit's completion is applied, its manifest is the
 * final list of the completing user's photos: any other photo THEY uploaded for the visit is
 * superseded. Photos the other team member uploaded from their own tablet are not in that
 * tablet's manifest and stay (they are evidence this tablet knows nothing about). Its row is deleted in
 * the completion's transaction (audited) and its hash queued in `photo_deletions`; after the
 * commit `drainPhotoDeletions` removes each queued object no row points at any more (the storage
 * is content-addressed, so the same bytes may still be another photo). Photos added later to a
 * sent-back visit come after the completion and are never superseded by it.
 */
import { recordAudit } from '$lib/server/audit';
import type { Db } from '$lib/server/repos/common';
import type { PhotoStorage } from './storage';

export interface SupersedeInput {
	visitId: string;
	/** The manifest's photo ids: these stay. */
	keep: readonly string[];
	/** The user whose tablet completed the visit: only their uploads can be superseded. */
	actorId: string;
	outletId: string | null;
	now: Date;
}

/**
 * Set when this process queued a deletion: the push route drains only then (most pushes queue
 * none). A queue another process filled is drained by it, or by the janitor.
 */
let queuedHere = false;

async function queueDeletion(db: Db, sha256: string, at: string): Promise<void> {
	queuedHere = true;
	await db.insertInto('photo_deletions').values({ sha256, requested_at: at }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

/** Call inside the completion's transaction; returns how many photos were superseded. */
export async function supersedePhotos(tx: Db, input: SupersedeInput): Promise<number> {
	const keep = new Set(input.keep);
	const uploads = await tx.selectFrom('photos').select(['id', 'kind', 'sha256']).where('visit_id', '=', input.visitId).where('uploaded_by', '=', input.actorId).execute();
	const stale = uploads.filter((p) => !keep.has(p.id));
	if (stale.length === 0) return 0;
	const at = input.now.toISOString();
	await tx
		.deleteFrom('photos')
		.where('id', 'in', stale.map((p) => p.id))
		.execute();
	for (const sha256 of new Set(stale.map((p) => p.sha256))) await queueDeletion(tx, sha256, at);
	await recordAudit(tx, {
		actorId: input.actorId,
		action: 'photo_superseded',
		entity: 'visit',
		entityId: input.visitId,
		outletId: input.outletId,
		details: { photos: stale.map((p) => ({ photoId: p.id, kind: p.kind })) },
		at: input.now
	});
	return stale.length;
}

/**
 * Removes the queued objects no photo row points at; returns how many were removed. Safe to run
 * at any time and more than once: an object still in use only leaves the queue.
 */
export async function drainPhotoDeletions(db: Db, storage: PhotoStorage): Promise<number> {
	let removed = 0;
	for (const { sha256 } of await db.selectFrom('photo_deletions').select('sha256').orderBy('requested_at').limit(500).execute()) {
		const inUse = await db.selectFrom('photos').select('id').where('sha256', '=', sha256).executeTakeFirst();
		if (!inUse) {
			await storage.remove(sha256);
			removed++;
		}
		await db.deleteFrom('photo_deletions').where('sha256', '=', sha256).execute();
	}
	return removed;
}

/** Drains if this process queued deletions since the last drain (after a push's commit). */
export async function drainQueuedDeletions(db: Db, storage: PhotoStorage): Promise<number> {
	if (!queuedHere) return 0;
	queuedHere = false;
	try {
		return await drainPhotoDeletions(db, storage);
	} catch (err) {
		queuedHere = true; // storage unavailable: the next push (or the janitor) tries again
		throw err;
	}
}

/** Queues `sha256` and drains: for bytes stored by an upload that was then refused. */
export async function discardUnusedBytes(db: Db, storage: PhotoStorage, sha256: string): Promise<void> {
	await queueDeletion(db, sha256, new Date().toISOString());
	await drainPhotoDeletions(db, storage);
}
