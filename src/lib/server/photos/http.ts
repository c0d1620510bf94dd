/*
 * The HTTP side of `/api/photos/{id}`, kept out of the route file so integration tests drive it
 * with a real `Request`. Refusals answer `{ message: 'photo_err_<code>' }` with their 4xx, like
 * the other endpoints' `{ message: code }`; a photo is served only with `Cache-Control: no-store`.
 */
import { json } from '@sveltejs/kit';
import { readBoundedBody } from '$lib/server/http/body';
import { drainBody } from '$lib/server/http/drain';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { recordAudit } from '$lib/server/audit';
import { sha256Hex } from './content';
import { getPhotoWithOutlet } from './repo';
import type { PhotoStorage } from './storage';
import { PhotoRefusal, uploadPhoto } from './upload';

/** The photo's bytes (http/body.ts); over the limit 413, broken off 400: nothing is stored. */
export async function readLimitedBody(request: Request, max: number): Promise<Uint8Array> {
	const read = await readBoundedBody(request, max);
	if (read.ok) return read.bytes;
	throw read.reason === 'too_large' ? new PhotoRefusal('too_large', 413) : new PhotoRefusal('empty', 400);
}

function declaredLength(request: Request): number | null {
	const text = request.headers.get('content-length');
	const n = text === null ? NaN : Number(text);
	return Number.isFinite(n) && n >= 0 ? n : null;
}

export async function handlePhotoPut(db: Db, storage: PhotoStorage, user: SessionUser, id: string, request: Request, now: Date = new Date()): Promise<Response> {
	try {
		const { created, receipt } = await uploadPhoto(
			db,
			storage,
			user,
			{ id, headers: request.headers, declaredBytes: declaredLength(request), readBody: (max) => readLimitedBody(request, max) },
			now
		);
		return json(receipt, { status: created ? 201 : 200 });
	} catch (err) {
		if (err instanceof PhotoRefusal) {
			await drainBody(request);
			return json({ message: err.message }, { status: err.status });
		}
		throw err;
	}
}

const notFound = () => json({ message: 'err_not_found' }, { status: 404, headers: { 'cache-control': 'no-store' } });

/**
 * Who may see a visit's identity photos: the admin, the head of the visit's outlet, and the
 * visit's two staff while it is theirs (a reassigned visit is no longer). Not other staff of
 * the outlet, not community workers. Pure.
 */
export function mayReadPhoto(user: SessionUser, photo: { outletId: string; teamIds: readonly string[] }): boolean {
	if (user.role === 'admin') return true;
	if (user.outletId !== photo.outletId) return false;
	return user.role === 'outlet_head' || (user.role === 'field_staff' && photo.teamIds.includes(user.id));
}

/**
 * The photo's bytes for those `mayReadPhoto` admits. Anyone else gets the same 404 as for an
 * unknown id (not even the existence is revealed), and the refused attempt on an existing photo
 * goes into the audit log of the visit's outlet.
 */
export async function handlePhotoGet(db: Db, storage: PhotoStorage, user: SessionUser, id: string): Promise<Response> {
	const photo = await getPhotoWithOutlet(db, id);
	if (!photo) return notFound();
	if (!mayReadPhoto(user, photo)) {
		await recordAudit(db, { actorId: user.id, action: 'photo_read_refused', entity: 'visit', entityId: photo.visitId, outletId: photo.outletId, details: { photoId: photo.id, role: user.role } });
		return notFound();
	}
	const bytes = await storage.get(photo.sha256);
	// A row always has its bytes (./upload.ts): missing or changed bytes mean the storage lost
	// or damaged them. Evidence is never served unverified (hashing 1 MB takes a few ms).
	const problem = !bytes ? 'missing from' : sha256Hex(bytes) !== photo.sha256 ? 'damaged in' : null;
	if (problem || !bytes) {
		console.error(`[doorstep] photo ${photo.id}: bytes ${problem} the ${storage.kind} photo storage`);
		return notFound();
	}
	return new Response(Buffer.from(bytes), {
		status: 200,
		headers: {
			'content-type': 'image/jpeg',
			'content-length': String(bytes.byteLength),
			'cache-control': 'no-store',
			'content-disposition': `inline; filename="${photo.id}.jpg"`
		}
	});
}
