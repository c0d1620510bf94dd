/*
 * Queries on `photos` (the photos the server holds) and on the manifest the tablet sent with a
 * visit's completion (`visit_progress.photo_manifest`). Rows only: the bytes are in the photo
 * storage (./storage.ts) under `sha256`. Scope checks are the callers' (./upload.ts, views).
 */
import { isPhotoKind, isPhotoId, isSha256Hex, type PhotoKind, type PhotoManifestEntry, type PhotoReceipt } from '$lib/domain/photos';
import type { PhotoRow } from '$lib/server/db/schema';
import { parseJsonList, toCount, type Db } from '$lib/server/repos/common';

export type PhotoPosition = { lat: number; lng: number; accuracyM: number } | null;

export interface Photo {
	id: string;
	visitId: string;
	requestId: string | null;
	kind: PhotoKind;
	sha256: string;
	bytes: number;
	width: number;
	height: number;
	takenAt: string;
	position: PhotoPosition;
	uploadedById: string;
	receivedAt: string;
}

/** A photo as the outlet head's review lists it: with the uploader's name. */
export interface VisitPhoto extends Photo {
	uploadedBy: string;
}

function positionOf(row: Pick<PhotoRow, 'lat' | 'lng' | 'accuracy_m'>): PhotoPosition {
	if (row.lat === null || row.lng === null) return null;
	return { lat: Number(row.lat), lng: Number(row.lng), accuracyM: Number(row.accuracy_m ?? 0) };
}

function toPhoto(row: PhotoRow): Photo {
	return {
		id: row.id,
		visitId: row.visit_id,
		requestId: row.request_id,
		kind: row.kind as PhotoKind,
		sha256: row.sha256,
		bytes: Number(row.bytes),
		width: Number(row.width),
		height: Number(row.height),
		takenAt: row.taken_at,
		position: positionOf(row),
		uploadedById: row.uploaded_by,
		receivedAt: row.received_at
	};
}

export const receiptOf = (p: Photo): PhotoReceipt => ({ id: p.id, sha256: p.sha256, bytes: p.bytes, visitId: p.visitId, receivedAt: p.receivedAt });

export async function getPhoto(db: Db, id: string): Promise<Photo | null> {
	const row = await db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toPhoto(row) : null;
}

/** A photo with its visit's outlet and team: what `GET /api/photos/{id}` checks the reader against. */
export async function getPhotoWithOutlet(db: Db, id: string): Promise<(Photo & { outletId: string; teamIds: [string, string] }) | null> {
	const row = await db
		.selectFrom('photos')
		.innerJoin('visits', 'visits.id', 'photos.visit_id')
		.selectAll('photos')
		.select(['visits.outlet_id as outlet_id', 'visits.lead_staff_id as lead_staff_id', 'visits.second_staff_id as second_staff_id'])
		.where('photos.id', '=', id)
		.executeTakeFirst();
	return row ? { ...toPhoto(row), outletId: row.outlet_id, teamIds: [row.lead_staff_id, row.second_staff_id] } : null;
}

export async function countVisitPhotos(db: Db, visitId: string): Promise<number> {
	const row = await db.selectFrom('photos').select((eb) => eb.fn.countAll<string>().as('n')).where('visit_id', '=', visitId).executeTakeFirstOrThrow();
	return toCount(row.n);
}

export type NewPhoto = Omit<Photo, 'receivedAt'>;

/**
 * Inserts the row unless one with this id exists (a concurrent upload of the same photo):
 * true when this call inserted it. ON CONFLICT DO NOTHING rather than catching the unique
 * violation, which on PostgreSQL would abort the surrounding transaction.
 */
export async function insertPhoto(db: Db, photo: NewPhoto, now: Date): Promise<boolean> {
	const result = await db
		.insertInto('photos')
		.values({
			id: photo.id,
			visit_id: photo.visitId,
			request_id: photo.requestId,
			kind: photo.kind,
			sha256: photo.sha256,
			bytes: photo.bytes,
			width: photo.width,
			height: photo.height,
			taken_at: photo.takenAt,
			lat: photo.position?.lat ?? null,
			lng: photo.position?.lng ?? null,
			accuracy_m: photo.position?.accuracyM ?? null,
			uploaded_by: photo.uploadedById,
			received_at: now.toISOString()
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The photos the server holds for a visit, in the order they were taken (review, print). */
export async function listVisitPhotos(db: Db, visitId: string): Promise<VisitPhoto[]> {
	const rows = await db
		.selectFrom('photos')
		.leftJoin('users', 'users.id', 'photos.uploaded_by')
		.selectAll('photos')
		.select('users.display_name as uploader_name')
		.where('photos.visit_id', '=', visitId)
		.orderBy('photos.taken_at')
		.orderBy('photos.received_at')
		.orderBy('photos.id')
		.execute();
	return rows.map((row) => ({ ...toPhoto(row), uploadedBy: row.uploader_name ?? '' }));
}

/** A stored manifest entry, checked again on the way out (the column is plain JSON text). */
function isManifestEntry(e: unknown): e is PhotoManifestEntry {
	const x = e as Partial<PhotoManifestEntry> | null;
	return (
		!!x &&
		typeof x.id === 'string' &&
		isPhotoId(x.id) &&
		typeof x.kind === 'string' &&
		isPhotoKind(x.kind) &&
		typeof x.sha256 === 'string' &&
		isSha256Hex(x.sha256) &&
		typeof x.bytes === 'number' &&
		typeof x.takenAt === 'string'
	);
}

/**
 * What the tablet listed when it completed the visit (empty before completion, or for
 * completions from an app version without photos): with `listVisitPhotos`, the review shows
 * which photos are expected but not uploaded yet.
 */
export async function manifestFor(db: Db, visitId: string): Promise<PhotoManifestEntry[]> {
	const row = await db.selectFrom('visit_progress').select('photo_manifest').where('visit_id', '=', visitId).executeTakeFirst();
	return row ? parseJsonList<unknown>(row.photo_manifest).filter(isManifestEntry).map((e) => ({ ...e, position: e.position ?? null })) : [];
}
