/*
 * Compresses the server's own text answers (rendered pages, JSON, CSV) for clients that accept
 * it: adapter-node sends build assets precompressed but every SvelteKit response as it is, and a
 * rendered page or a day's sync pull is text that shrinks to a fifth. Brotli at a low quality
 * (fast, and still smaller than gzip), else gzip; the body streams through, nothing is buffered.
 *
 * Left as they are: answers without a body (HEAD, 204, 304), ranges, small bodies, images and
 * archives (JPEG, XLSX are compressed already), anything marked `no-transform` or encoded already.
 */
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import Negotiator from 'negotiator';

/** Below this a compressed body is hardly smaller and costs a round of work on both sides. */
export const MIN_COMPRESS_BYTES = 1024;

const COMPRESSIBLE = /^(text\/(html|plain|css|csv|javascript)|application\/(json|javascript|manifest\+json|xml)|image\/svg\+xml)\b/i;
const ENCODINGS = ['br', 'gzip'] as const;
type Encoding = (typeof ENCODINGS)[number];
/** Negotiator 1.x takes a preference order for ties; @types/negotiator (0.6) does not know it yet. */
type PreferringNegotiator = { encoding(available: string[], options: { preferred: string[] }): string | undefined };

/** The encoding to use for this request and response, or null to send the body as it is. */
export function chooseEncoding(request: Request, response: Response): Encoding | null {
	if (request.method === 'HEAD' || !response.body || response.status === 204 || response.status === 304 || response.status === 206) return null;
	if (request.headers.has('range') || response.headers.has('content-encoding')) return null;
	if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return null;
	if (/\bno-transform\b/i.test(response.headers.get('cache-control') ?? '')) return null;
	const length = response.headers.get('content-length');
	if (length !== null && Number(length) < MIN_COMPRESS_BYTES) return null;
	const accept = request.headers.get('accept-encoding');
	if (!accept) return null;
	// Negotiator reads q-values ("gzip;q=0" refuses gzip) and "*"; a malformed header yields none.
	// At equal q, ours decides: brotli first.
	const chosen = (new Negotiator({ headers: { 'accept-encoding': accept } }) as PreferringNegotiator).encoding([...ENCODINGS], { preferred: [...ENCODINGS] });
	return chosen === 'br' || chosen === 'gzip' ? chosen : null;
}

function compressor(encoding: Encoding): Duplex {
	return encoding === 'br'
		? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })
		: zlib.createGzip({ level: 6 });
}

/** The response compressed for the request (see chooseEncoding), or the same response. */
export function compressResponse(request: Request, response: Response): Response {
	const varies = COMPRESSIBLE.test(response.headers.get('content-type') ?? '');
	const encoding = chooseEncoding(request, response);
	if (!encoding || !response.body) {
		if (!varies) return response;
		// A cache between us and the client must not hand this plain copy to one that asked for br.
		const headers = new Headers(response.headers);
		headers.append('vary', 'Accept-Encoding');
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	headers.set('content-encoding', encoding);
	headers.append('vary', 'Accept-Encoding');
	// The bytes differ from the identity body: a strong validator would claim they are the same.
	const etag = headers.get('etag');
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
	const { readable, writable } = Duplex.toWeb(compressor(encoding)) as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
	return new Response(response.body.pipeThrough({ readable, writable }), { status: response.status, statusText: response.statusText, headers });
}
