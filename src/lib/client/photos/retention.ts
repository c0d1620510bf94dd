/*
 * THE rule that frees a photo's bytes on the tablet — the only code that drops a photo's bytes.
 *
 * The bytes go only when BOTH hold:
 *   1. the server gave a receipt for exactly these bytes (same id and SHA-256), and
 *   2. the visit's own mutations were applied: the visit was finished on this tablet
 *      (draft.completedAt) and no outbox entry of the visit is left, pending or rejected —
 *      so the completion that names the photo in its manifest has reached the server.
 * Until then the tablet keeps its copy, whatever else happens. After the drop a small row stays
 * (status 'uploaded', hasBytes false) so the visit still shows "uploaded".
 */
import type { DoorstepDb, LocalPhoto, OutboxEntry, VisitDraft } from '../db';

/** Pure: whether this photo's bytes may be dropped, given its visit's draft and the outbox. */
export function mayDropBlob(photo: LocalPhoto, draft: VisitDraft | undefined, outbox: readonly Pick<OutboxEntry, 'entityId'>[]): boolean {
	if (!photo.hasBytes) return false;
	if (!photo.receipt || photo.receipt.id !== photo.id || photo.receipt.sha256 !== photo.sha256) return false;
	if (!draft?.completedAt) return false;
	return !outbox.some((e) => e.entityId === photo.visitId);
}

/** Applies the rule to every photo on the tablet; returns how many photos' bytes were dropped. */
export async function applyRetention(db: DoorstepDb): Promise<number> {
	return db.transaction('rw', db.photos, db.photoBytes, db.drafts, db.outbox, async () => {
		const candidates = (await db.photos.where('status').equals('uploaded').toArray()).filter((p) => p.hasBytes);
		if (candidates.length === 0) return 0;
		const outbox = await db.outbox.toArray();
		let dropped = 0;
		for (const photo of candidates) {
			const draft = await db.drafts.get(photo.visitId);
			if (!mayDropBlob(photo, draft, outbox)) continue;
			await db.photos.update(photo.id, { hasBytes: false });
			await db.photoBytes.delete(photo.id);
			dropped++;
		}
		return dropped;
	});
}
