/*
 * The visit's photos on the tablet: keep a processed photo, retake or delete it while the visit
 * is open. Once the visit is finished the photos are evidence and stay as they are (only the
 * retention rule in ./retention.ts may then drop the bytes, after the server's receipt).
 */
import { PHOTO_LIMITS, type PhotoKind } from '$lib/domain/photos';
import type { DoorstepDb, LocalPhoto } from '../db';
import { sealPhotoBytes } from './bytes';

export class PhotoStoreError extends Error {
	constructor(readonly code: 'photo_ui_err_locked' | 'photo_ui_err_too_many' | 'photo_ui_err_not_found') {
		super(code);
		this.name = 'PhotoStoreError';
	}
}

export interface NewPhoto {
	visitId: string;
	kind: PhotoKind;
	blob: Blob;
	sha256: string;
	bytes: number;
	width: number;
	height: number;
	takenAt: string;
	position: LocalPhoto['position'];
	/** The photo this one replaces (a retake): removed in the same transaction. */
	replaces?: string | null;
}

/**
 * Photos change only while the visit is open; after it is finished, the one exception is a visit
 * whose evidence the outlet head sent back: the team may ADD photos (never replace or delete).
 */
async function assertOpen(db: DoorstepDb, visitId: string, adding = false): Promise<void> {
	const draft = await db.drafts.get(visitId);
	if (!draft?.completedAt) return;
	if (adding && (await db.visits.get(visitId))?.evidenceReview?.status === 'sent_back') return;
	throw new PhotoStoreError('photo_ui_err_locked');
}

/** Keeps a new photo (queued for upload); a retake replaces the old one atomically. */
export async function savePhoto(db: DoorstepDb, photo: NewPhoto, id: string = globalThis.crypto.randomUUID()): Promise<LocalPhoto> {
	// Sealed before the transaction: it would not survive the WebCrypto await (photos/bytes.ts).
	const sealedBytes = await sealPhotoBytes(db, id, photo.blob);
	return db.transaction('rw', db.photos, db.photoBytes, db.drafts, db.visits, async () => {
		await assertOpen(db, photo.visitId, !photo.replaces);
		const existing = await db.photos.where('visitId').equals(photo.visitId).toArray();
		const replaced = photo.replaces ? existing.find((p) => p.id === photo.replaces) : undefined;
		if (photo.replaces && !replaced) throw new PhotoStoreError('photo_ui_err_not_found');
		if (!replaced && existing.length >= PHOTO_LIMITS.maxPerVisit) throw new PhotoStoreError('photo_ui_err_too_many');
		const { replaces: _replaces, blob: _blob, ...fields } = photo;
		const row: LocalPhoto = { id, ...fields, hasBytes: true, status: 'queued', attempts: 0, nextAttemptAt: 0, lastError: null, receipt: null };
		if (replaced) {
			await db.photos.delete(replaced.id);
			await db.photoBytes.delete(replaced.id);
		}
		await db.photos.add(row);
		await db.photoBytes.put(sealedBytes);
		return row;
	});
}

/** Deletes a photo the team no longer wants, only while the visit is not finished. */
export async function deletePhoto(db: DoorstepDb, photoId: string): Promise<void> {
	await db.transaction('rw', db.photos, db.photoBytes, db.drafts, db.visits, async () => {
		const photo = await db.photos.get(photoId);
		if (!photo) return;
		await assertOpen(db, photo.visitId);
		await db.photos.delete(photoId);
		await db.photoBytes.delete(photoId);
	});
}

export function visitPhotos(db: DoorstepDb, visitId: string): Promise<LocalPhoto[]> {
	return db.photos.where('visitId').equals(visitId).sortBy('takenAt');
}

/**
 * Deletes a photo the server refused for good (its visit was cancelled, it is not the team's any
 * more…), at the user's explicit request: the one way a finished visit's photo leaves the tablet
 * without a receipt. Anything else (queued, uploaded) is refused here: that is retention's job.
 */
export async function discardRefusedPhoto(db: DoorstepDb, photoId: string): Promise<boolean> {
	return db.transaction('rw', db.photos, db.photoBytes, async () => {
		const photo = await db.photos.get(photoId);
		if (photo?.status !== 'refused') return false;
		await db.photos.delete(photoId);
		await db.photoBytes.delete(photoId);
		return true;
	});
}
