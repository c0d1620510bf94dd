/*
 * The photo Transport over HTTP: `PUT /api/photos/{id}` with the JPEG as the body and the
 * photo's facts in headers (PHOTO_HEADERS), same-origin session cookie. The answer decides what
 * the queue does: 200/201 → receipt; 401 → signed out; another 4xx with a `photo_err_…` reason
 * → refused for good; no answer, 5xx, or a 4xx that is not a reason about the photo (e.g. a 404
 * from a server that does not know photos yet, 429) → try again later.
 */
import { PHOTO_ERRORS, PHOTO_HEADERS, type PhotoReceipt } from '$lib/domain/photos';
import { positionHeader } from './pipeline';
import { PhotoUploadError, type PhotoTransport, type PhotoUpload } from './upload-queue';

export interface HttpPhotoTransportOptions {
	baseUrl?: string;
	fetch?: typeof fetch;
	/** Per photo; generous, a 500 KB photo on a poor mobile link takes a while. */
	timeoutMs?: number;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isReceipt(x: unknown): x is PhotoReceipt {
	return isObject(x) && typeof x.id === 'string' && typeof x.sha256 === 'string' && typeof x.bytes === 'number' && typeof x.visitId === 'string' && typeof x.receivedAt === 'string';
}

const KNOWN = new Set<string>(PHOTO_ERRORS.map((c) => `photo_err_${c}`));
/** 4xx answers that say nothing about the photo: worth trying again later. */
const TRANSIENT_4XX = new Set([404, 405, 408, 425, 429]);

export function createHttpPhotoTransport(options: HttpPhotoTransportOptions = {}): PhotoTransport {
	const baseUrl = options.baseUrl ?? '';
	const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
	const timeoutMs = options.timeoutMs ?? 120_000;

	return {
		async upload(photo: PhotoUpload): Promise<PhotoReceipt> {
			const headers: Record<string, string> = {
				'content-type': 'image/jpeg',
				accept: 'application/json',
				[PHOTO_HEADERS.sha256]: photo.sha256,
				[PHOTO_HEADERS.visitId]: photo.visitId,
				[PHOTO_HEADERS.kind]: photo.kind,
				[PHOTO_HEADERS.takenAt]: photo.takenAt
			};
			const position = positionHeader(photo.position);
			if (position) headers[PHOTO_HEADERS.position] = position;
			const controller = new AbortController();
			const timer = setTimeout(() => controller.abort(), timeoutMs);
			let response: Response;
			try {
				response = await doFetch(`${baseUrl}/api/photos/${encodeURIComponent(photo.id)}`, {
					method: 'PUT',
					headers,
					body: photo.blob,
					credentials: 'same-origin',
					cache: 'no-store',
					signal: controller.signal
				});
			} catch {
				throw new PhotoUploadError('retry', 'sync_err_network');
			} finally {
				clearTimeout(timer);
			}
			const payload: unknown = await response.json().catch(() => undefined);
			if (response.ok) {
				if (!isReceipt(payload)) throw new PhotoUploadError('retry', 'sync_err_malformed');
				return payload;
			}
			if (response.status === 401) throw new PhotoUploadError('auth', 'sync_err_auth');
			const message = isObject(payload) && typeof payload.message === 'string' ? payload.message : '';
			if (response.status >= 500 || (TRANSIENT_4XX.has(response.status) && !KNOWN.has(message))) throw new PhotoUploadError('retry', 'sync_err_server');
			throw new PhotoUploadError('refused', KNOWN.has(message) ? message : 'photo_ui_err_refused');
		}
	};
}
