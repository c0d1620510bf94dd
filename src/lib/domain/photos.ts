/**
 * Identity-verification photos: the rules shared by the tablet and the server. Pure: no I/O.
 *
 * A photo is content-addressed: the tablet computes the SHA-256 of the final JPEG bytes (after
 * scaling, watermark and metadata stripping) and the server stores it under that hash. The photo
 * id (a UUID made on the tablet) is the idempotency key of the upload: the same id with the same
 * bytes is answered with the same receipt, the same id with other bytes is refused.
 */
import { PHOTO_KINDS, type PhotoKind } from './services';

export { PHOTO_KINDS, type PhotoKind };

export const PHOTO_LIMITS = {
	/** Long edge after scaling (configurable on the device, never above this). */
	maxEdgePx: 2048,
	/** What the tablet aims for. */
	targetBytes: 500 * 1024,
	/** What the server accepts: a little above the target for frames that compress badly. */
	maxUploadBytes: 1024 * 1024,
	/** Photos per visit (retakes replace, so this is generous). */
	maxPerVisit: 20,
	/** Free space the device must keep after a capture (bytes): below, capture is refused. */
	safeMarginBytes: 50 * 1024 * 1024
} as const;

/** HTTP headers of `PUT /api/photos/{id}`: the body is the JPEG itself. */
export const PHOTO_HEADERS = {
	sha256: 'x-photo-sha256',
	visitId: 'x-photo-visit',
	kind: 'x-photo-kind',
	takenAt: 'x-photo-taken-at',
	/** `lat,lng,accuracyM` or absent when the position is unknown. */
	position: 'x-photo-position'
} as const;

/** What the tablet keeps about a captured photo and sends with the visit's completion. */
export interface PhotoManifestEntry {
	id: string;
	kind: PhotoKind;
	sha256: string;
	bytes: number;
	takenAt: string;
	position: { lat: number; lng: number; accuracyM: number } | null;
}

/** The server's answer to a stored photo: the tablet may delete its copy only with one. */
export interface PhotoReceipt {
	id: string;
	sha256: string;
	bytes: number;
	visitId: string;
	receivedAt: string;
}

/** Refusal codes of the upload, translated as `photo_err_<code>` on the tablet. */
export const PHOTO_ERRORS = [
	'bad_id',
	'bad_hash',
	'hash_mismatch',
	'not_jpeg',
	'too_large',
	'empty',
	'bad_kind',
	'bad_metadata',
	'not_your_visit',
	'id_taken',
	'visit_closed',
	'too_many',
	'superseded'
] as const;
export type PhotoError = (typeof PHOTO_ERRORS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export const isPhotoId = (id: string): boolean => UUID.test(id);
export const isSha256Hex = (h: string): boolean => SHA256_HEX.test(h);
export const isPhotoKind = (k: string): k is PhotoKind => (PHOTO_KINDS as readonly string[]).includes(k);

/** The kinds the visit's services require, in catalogue order, without repeats. */
export function requiredPhotoKinds(services: { requiredPhotos?: readonly string[] }[]): PhotoKind[] {
	const wanted = new Set(services.flatMap((s) => s.requiredPhotos ?? []));
	return PHOTO_KINDS.filter((k) => wanted.has(k));
}

/** Required kinds that no photo covers yet: completion is refused while this is not empty. */
export function missingPhotoKinds(required: readonly PhotoKind[], photos: readonly { kind: string }[]): PhotoKind[] {
	const have = new Set(photos.map((p) => p.kind));
	return required.filter((k) => !have.has(k));
}

/**
 * Whether the bytes are a structurally complete baseline/progressive JPEG: SOI, a frame header
 * (SOF) with a non-zero size, a scan (SOS) and EOI at the end. A browser's `convertToBlob`
 * always produces this; a truncated upload or another format does not. Returns the pixel size.
 */
export function inspectJpeg(bytes: Uint8Array): { width: number; height: number } | null {
	const n = bytes.length;
	if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return null;
	if (bytes[n - 2] !== 0xff || bytes[n - 1] !== 0xd9) return null;
	let i = 2;
	let size: { width: number; height: number } | null = null;
	while (i + 4 <= n) {
		if (bytes[i] !== 0xff) return null;
		const marker = bytes[i + 1];
		if (marker === 0xff) {
			i += 1; // fill byte
			continue;
		}
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			i += 2;
			continue;
		}
		const length = (bytes[i + 2] << 8) | bytes[i + 3];
		if (length < 2 || i + 2 + length > n) return null;
		// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			const height = (bytes[i + 5] << 8) | bytes[i + 6];
			const width = (bytes[i + 7] << 8) | bytes[i + 8];
			if (!width || !height) return null;
			size = { width, height };
		}
		if (marker === 0xda) return size; // start of scan: entropy-coded data follows up to EOI
		i += 2 + length;
	}
	return null;
}
