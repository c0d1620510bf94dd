/*
 * The photo upload use case (`PUT /api/photos/{id}`): checks, then storage, then the row.
 * Every refusal is a PhotoRefusal (4xx, `photo_err_<code>`) raised before anything is stored,
 * except a retake overtaken by its visit's completion during the body: its bytes are removed again.
 * Order of the checks: what costs nothing first (id, headers, declared size), then scope in the
 * database, then the body (size while reading, JPEG structure, hash). The bytes go to storage
 * before the row is inserted, so a photo row always has its bytes; the row insert (with the
 * audit entry, one transaction) is the commit point that the receipt reports.
 */
import { inspectJpeg, isPhotoId, isPhotoKind, isSha256Hex, PHOTO_HEADERS, PHOTO_LIMITS, type PhotoError, type PhotoKind, type PhotoReceipt } from '$lib/domain/photos';
import { recordAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getVisit, type Visit } from '$lib/server/repos/visits';
import { lockVisit } from '$lib/server/repos/visit-lock';
import { inTransaction } from '$lib/server/workflow/context';
import { loadEvidenceReviews } from '$lib/server/workflow/review';
import { sha256Hex } from './content';
import { countVisitPhotos, getPhoto, insertPhoto, manifestFor, receiptOf, type Photo, type PhotoPosition } from './repo';
import type { PhotoStorage } from './storage';
import { discardUnusedBytes } from './superseded';

export class PhotoRefusal extends Error {
	constructor(
		readonly code: PhotoError,
		readonly status: number
	) {
		super(`photo_err_${code}`);
		this.name = 'PhotoRefusal';
	}
}

const refuse = (code: PhotoError, status: number): never => {
	throw new PhotoRefusal(code, status);
};

export interface UploadMeta {
	sha256: string;
	visitId: string;
	kind: PhotoKind;
	takenAt: string;
	position: PhotoPosition;
}

const VISIT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function parsePosition(text: string | null): PhotoPosition {
	if (!text?.trim()) return null;
	const parts = text.split(',').map((p) => p.trim());
	const [lat, lng, accuracyM] = parts.map(Number);
	const ok =
		parts.length === 3 &&
		parts.every((p) => p !== '') &&
		[lat, lng, accuracyM].every(Number.isFinite) &&
		Math.abs(lat) <= 90 &&
		Math.abs(lng) <= 180 &&
		accuracyM >= 0;
	return ok ? { lat, lng, accuracyM } : refuse('bad_metadata', 400);
}

/** The metadata headers of an upload (PHOTO_HEADERS), checked; pure. */
export function parseUploadHeaders(headers: Headers): UploadMeta {
	const sha256 = (headers.get(PHOTO_HEADERS.sha256) ?? '').trim().toLowerCase();
	if (!isSha256Hex(sha256)) refuse('bad_hash', 400);
	const kind = (headers.get(PHOTO_HEADERS.kind) ?? '').trim();
	if (!isPhotoKind(kind)) refuse('bad_kind', 400);
	const visitId = (headers.get(PHOTO_HEADERS.visitId) ?? '').trim();
	if (!VISIT_ID.test(visitId)) refuse('bad_metadata', 400);
	const takenAtText = (headers.get(PHOTO_HEADERS.takenAt) ?? '').trim();
	const takenAt = /^\d{4}-\d{2}-\d{2}T/.test(takenAtText) ? new Date(takenAtText) : null;
	if (!takenAt || Number.isNaN(takenAt.getTime())) refuse('bad_metadata', 400);
	return { sha256, visitId, kind: kind as PhotoKind, takenAt: takenAt!.toISOString(), position: parsePosition(headers.get(PHOTO_HEADERS.position)) };
}

/**
 * Scope and idempotency, before the body is read: the uploader is field staff in the visit's
 * team (anything else is `not_your_visit`, whether the visit exists or not), and an existing
 * row with this id is the same photo of the same uploader (a replay) or a refusal.
 */
async function authorize(db: Db, user: SessionUser, id: string, meta: UploadMeta): Promise<{ visit: Visit; existing: Photo | null }> {
	const visit = await getVisit(db, meta.visitId);
	const inTeam = !!visit && user.role === 'field_staff' && (visit.leadStaffId === user.id || visit.secondStaffId === user.id);
	if (!visit || !inTeam) return refuse('not_your_visit', 403);
	const existing = await getPhoto(db, id);
	if (existing) {
		if (existing.uploadedById !== user.id) refuse('not_your_visit', 403);
		if (existing.sha256 !== meta.sha256 || existing.visitId !== visit.id) refuse('id_taken', 409);
		return { visit, existing }; // a replay: answered even if the visit was closed meanwhile
	}
	if (visit.status === 'cancelled') refuse('visit_closed', 409);
	if (await supersededByCompletion(db, user.id, visit.id, id)) refuse('superseded', 409);
	if ((await countVisitPhotos(db, visit.id)) >= PHOTO_LIMITS.maxPerVisit) refuse('too_many', 409);
	return { visit, existing: null };
}

/**
 * A new photo of the user's for a visit their own tablet already completed, and which that
 * completion's manifest does not list: retaken or deleted there while its upload was under way
 * (photos/superseded.ts deleted the ones already stored). Photos added after the head sent the
 * evidence back are welcome.
 */
async function supersededByCompletion(db: Db, userId: string, visitId: string, photoId: string): Promise<boolean> {
	const progress = await db.selectFrom('visit_progress').select(['completed_by']).where('visit_id', '=', visitId).executeTakeFirst();
	if (progress?.completed_by !== userId) return false;
	if ((await manifestFor(db, visitId)).some((e) => e.id === photoId)) return false;
	return (await loadEvidenceReviews(db, [visitId])).get(visitId)?.status !== 'sent_back';
}

export interface UploadInput {
	id: string;
	headers: Headers;
	/** Bytes the client declared (Content-Length), or null. */
	declaredBytes: number | null;
	/** Reads the body, refusing (`too_large`) as soon as it passes `max` bytes. */
	readBody(max: number): Promise<Uint8Array>;
}

export interface UploadResult {
	/** false: a replay of a photo already stored (same id, same bytes). */
	created: boolean;
	receipt: PhotoReceipt;
}

export async function uploadPhoto(db: Db, storage: PhotoStorage, user: SessionUser, input: UploadInput, now: Date = new Date()): Promise<UploadResult> {
	const { id } = input;
	if (!isPhotoId(id)) refuse('bad_id', 400);
	const meta = parseUploadHeaders(input.headers);
	if (input.declaredBytes !== null && input.declaredBytes > PHOTO_LIMITS.maxUploadBytes) refuse('too_large', 413);
	const { visit, existing } = await authorize(db, user, id, meta);

	const bytes = await input.readBody(PHOTO_LIMITS.maxUploadBytes);
	if (bytes.byteLength === 0) refuse('empty', 400);
	const size = inspectJpeg(bytes);
	if (!size) return refuse('not_jpeg', 415);
	// The tablet hashed the final bytes; anything else arrived changed or cut short.
	if (sha256Hex(bytes) !== meta.sha256) refuse('hash_mismatch', 422);
	if (existing) return { created: false, receipt: receiptOf(existing) };

	// Bytes first (idempotent, content-addressed), then the row that makes them a photo.
	await storage.put(meta.sha256, bytes);
	const outcome = await inTransaction(db, async (tx): Promise<UploadResult | 'superseded'> => {
		// The completion may have been applied while the body was arriving: check again under the
		// visit's lock, which a completion being applied holds until it commits.
		await lockVisit(tx, visit.id);
		if (await supersededByCompletion(tx, user.id, visit.id, id)) return 'superseded';
		const photo = { id, visitId: visit.id, requestId: visit.requestId, kind: meta.kind, sha256: meta.sha256, bytes: bytes.byteLength, ...size, takenAt: meta.takenAt, position: meta.position, uploadedById: user.id };
		if (!(await insertPhoto(tx, photo, now))) {
			// The same id was stored concurrently: the same answer as a later replay would get.
			const winner = await getPhoto(tx, id);
			if (!winner || winner.uploadedById !== user.id) return refuse('not_your_visit', 403);
			if (winner.sha256 !== meta.sha256 || winner.visitId !== visit.id) return refuse('id_taken', 409);
			return { created: false, receipt: receiptOf(winner) };
		}
		await recordAudit(tx, {
			actorId: user.id,
			action: 'photo_upload',
			entity: 'visit',
			entityId: visit.id,
			outletId: visit.outletId,
			// What and how much, never the image or any personal data; the SHA-256 of the bytes, so
			// the hash chain vouches for the stored photo (the receipt is this entry).
			details: { photoId: id, kind: meta.kind, bytes: bytes.byteLength, sha256: meta.sha256 },
			at: now
		});
		return { created: true, receipt: receiptOf((await getPhoto(tx, id))!) };
	});
	if (outcome !== 'superseded') return outcome;
	await discardUnusedBytes(db, storage, meta.sha256);
	return refuse('superseded', 409);
}
