/*
 * A photo's JPEG on the tablet, sealed with the data key (WebCrypto AES-GCM) in `photoBytes`,
 * apart from the photo's small row: the queue and the pages read rows often, the bytes only to
 * upload or show one photo. Sealing is async, so it happens BEFORE a transaction opens and
 * opening happens after the read (an IndexedDB transaction does not survive a WebCrypto await).
 */
import { openBlob, sealBlob } from '../crypto/cipher';
import { StoreLockedError } from '../crypto/row-cipher';
import type { DoorstepDb, LegacyPhotoBytesRow, LocalPhoto, PhotoBytesRow } from '../db';

function blobKey(db: DoorstepDb): CryptoKey {
	const key = db.keys.blobs;
	if (!key) throw new StoreLockedError();
	return key;
}

/** The sealed row for a photo's JPEG: call before the transaction that stores it. */
export async function sealPhotoBytes(db: DoorstepDb, id: string, jpeg: Blob): Promise<PhotoBytesRow> {
	return { id, sealed: await sealBlob(blobKey(db), jpeg) };
}

const isLegacy = (row: PhotoBytesRow | LegacyPhotoBytesRow): row is LegacyPhotoBytesRow => 'legacyBlob' in row;

/** The photo's JPEG, or null once the retention rule dropped it. */
export async function readPhotoBytes(db: DoorstepDb, id: string): Promise<Blob | null> {
	const row = await db.photoBytes.get(id);
	if (!row) return null;
	return isLegacy(row) ? row.legacyBlob : openBlob(blobKey(db), row.sealed);
}

/** Stores a photo row and its bytes together (the photo store and the tests). */
export async function putPhotoWithBytes(db: DoorstepDb, photo: Omit<LocalPhoto, 'hasBytes'>, jpeg: Blob): Promise<LocalPhoto> {
	const bytes = await sealPhotoBytes(db, photo.id, jpeg);
	const row: LocalPhoto = { ...photo, hasBytes: true };
	await db.transaction('rw', db.photos, db.photoBytes, async () => {
		await db.photos.put(row);
		await db.photoBytes.put(bytes);
	});
	return row;
}

/**
 * Seals the photo bytes that version 2 kept in the clear (moved aside by the version-3
 * upgrade). Runs after every open; a no-op once nothing is left. Each photo is sealed outside the
 * transaction, then swapped in only if the row is still the legacy one.
 */
export async function sealLegacyPhotoBytes(db: DoorstepDb): Promise<number> {
	const legacy = (await db.photoBytes.toArray()).filter(isLegacy);
	for (const row of legacy) {
		const sealed = await sealPhotoBytes(db, row.id, row.legacyBlob);
		await db.transaction('rw', db.photoBytes, async () => {
			const now = await db.photoBytes.get(row.id);
			if (now && isLegacy(now)) await db.photoBytes.put(sealed);
		});
	}
	return legacy.length;
}
