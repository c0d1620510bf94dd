/*
 * A photo's JPEG on the tablet, sealed with the data key (WebCrypto AES-GCM) in `photoBytes`,
 * apart from the photo's small row: the queue and the pages read rows often, the bytes only to
 * upload or show one photo. Sealing is async, so it happens BEFORE a transaction opens and
 * opening happens after the read (an IndexedDB transaction does not survive a WebCrypto await).
 */
import { openBlob, sealBlob } from '../crypto/cipher';
import { StoreLockedError } from '../crypto/row-cipher';
import type { DoorstepDb, LocalPhoto, PhotoBytesRow } from '../db';

function blobKey(db: DoorstepDb): CryptoKey {
	const key = db.keys.blobs;
	if (!key) throw new StoreLockedError();
	return key;
}

/** The sealed row for a photo's JPEG: call before the transaction that stores it. */
export async function sealPhotoBytes(db: DoorstepDb, id: string, jpeg: Blob): Promise<PhotoBytesRow> {
	return { id, sealed: await sealBlob(blobKey(db), jpeg) };
}

/** The photo's JPEG, or null once the retention rule dropped it. */
export async function readPhotoBytes(db: DoorstepDb, id: string): Promise<Blob | null> {
	const row = await db.photoBytes.get(id);
	if (row) return openBlob(blobKey(db), row.sealed);
	// Only in the moment between the first unlock's upgrade and sealLegacyPhotoBytes.
	return (await db.legacyPhotoBytes.get(id))?.blob ?? null;
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
 * Seals the photo bytes that version 2 kept in the clear (moved aside by the version-3 upgrade).
 * Runs after every open: a count of an empty table once done. Each photo is sealed outside the
 * transaction, then swapped in only if its row still wants bytes (it may have been deleted).
 */
export async function sealLegacyPhotoBytes(db: DoorstepDb): Promise<number> {
	if ((await db.legacyPhotoBytes.count()) === 0) return 0;
	const ids = (await db.legacyPhotoBytes.toCollection().primaryKeys()) as string[];
	for (const id of ids) {
		const legacy = await db.legacyPhotoBytes.get(id);
		if (!legacy) continue;
		const sealed = await sealPhotoBytes(db, id, legacy.blob);
		await db.transaction('rw', db.photos, db.photoBytes, db.legacyPhotoBytes, async () => {
			if ((await db.photos.get(id))?.hasBytes) await db.photoBytes.put(sealed);
			await db.legacyPhotoBytes.delete(id);
		});
	}
	return ids.length;
}
