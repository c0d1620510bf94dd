import { missingPhotoKinds, type PhotoKind } from '$lib/domain/photos';
import { greatCircleMetres } from '$lib/routing/matrix';
import type { Db } from '$lib/server/repos/common';
import { listVisitPhotos, manifestFor } from '$lib/server/photos/repo';

/** One photo of a visit as the reviewer sees it: served by `GET /api/photos/{id}`. */
export interface ReviewPhoto {
	id: string;
	kind: string;
	sha256: string;
	bytes: number;
	takenAt: string;
	position: { lat: number; lng: number; accuracyM: number } | null;
	/** Metres from the resident's pin, when both are known. */
	distanceM: number | null;
	/** null: listed by the tablet at completion but not received yet. */
	receivedAt: string | null;
}

/**
 * The photos of a visit for review and print: those the server holds, then those the tablet
 * announced in the completion but has not uploaded yet, and the required kinds nobody took.
 */
export async function visitPhotos(db: Db, visitId: string, pin: { lat: number | null; lng: number | null } | null, required: PhotoKind[]) {
	const [stored, manifest] = await Promise.all([listVisitPhotos(db, visitId), manifestFor(db, visitId)]);
	const distance = (p: ReviewPhoto['position']) =>
		p && pin?.lat != null && pin.lng != null ? Math.round(greatCircleMetres({ lat: p.lat, lng: p.lng }, { lat: pin.lat, lng: pin.lng })) : null;
	const have = new Set(stored.map((p) => p.id));
	const photos: ReviewPhoto[] = [
		...stored.map((p) => ({ id: p.id, kind: p.kind, sha256: p.sha256, bytes: p.bytes, takenAt: p.takenAt, position: p.position, distanceM: distance(p.position), receivedAt: p.receivedAt })),
		...manifest
			.filter((e) => !have.has(e.id))
			.map((e) => ({ id: e.id, kind: e.kind, sha256: e.sha256, bytes: e.bytes, takenAt: e.takenAt, position: e.position, distanceM: distance(e.position), receivedAt: null }))
	];
	return { photos, missingKinds: missingPhotoKinds(required, photos) };
}
