/*
 * The HTTP side of `/api/photos/{id}`, kept out of the route file so integration tests drive it
 * with a real `Request`. Refusals answer `{ message: 'photo_err_<code>' }` with their 4xx, like
 * the other endpoints' `{ message: code }`; a photo is served only with `Cache-Control: no-store`.
 */
import { json } from '@sveltejs/kit';
import { drainBody } from '$lib/server/http/drain';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { recordAudit } from '$lib/server/audit';
import { sha256Hex } from './content';
import { getPhotoWithOutlet } from './repo';
import type { PhotoStorage } from './storage';
import { PhotoRefusal, uploadPhoto } from './upload';

/**
 * Reads at most `max` bytes: a longer body is refused as soon as it passes the limit, before it
 * is all in memory. A body that breaks off (the tablet lost the network) stores nothing.
 */
export async function readLimitedBody(request: Request, max: number): Promise<Uint8Array> {
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > max) {
				await reader.cancel().catch(() => {});
				throw new PhotoRefusal('too_large', 413);
			}
			chunks.push(value);
		}
	} catch (err) {
		if (err instanceof PhotoRefusal) throw err;
		// adapter-node's own BODY_SIZE_LIMIT surfaces as an error with status 413 while reading.
		if ((err as { status?: number } | null)?.status === 413) throw new PhotoRefusal('too_large', 413);
		throw new PhotoRefusal('empty', 400);
	}
	return new Uint8Array(Buffer.concat(chunks));
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
