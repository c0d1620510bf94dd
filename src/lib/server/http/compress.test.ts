import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressResponse, MIN_COMPRESS_BYTES } from './compress';

const page = '<!doctype html><html><body>' + '<p>上门服务 · Doorstep</p>'.repeat(400) + '</body></html>';

function get(acceptEncoding: string | null, extra: Record<string, string> = {}, method = 'GET'): Request {
	const headers: Record<string, string> = { ...extra };
	if (acceptEncoding !== null) headers['accept-encoding'] = acceptEncoding;
	return new Request('http://localhost/approvals', { method, headers });
}

function html(body: string | null = page, headers: Record<string, string> = {}, status = 200): Response {
	return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
}

async function bytesOf(response: Response): Promise<Buffer> {
	return Buffer.from(await response.arrayBuffer());
}

describe('compressResponse', () => {
	it('sends brotli when the client takes it, and the body decodes to the page', async () => {
		const res = compressResponse(get('gzip, deflate, br, zstd'), html());
		expect(res.headers.get('content-encoding')).toBe('br');
		expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
		const bytes = await bytesOf(res);
		expect(brotliDecompressSync(bytes).toString()).toBe(page);
		expect(bytes.length).toBeLessThan(Buffer.byteLength(page) / 5);
	});

	it('falls back to gzip, and honours q=0', async () => {
		const gzip = compressResponse(get('gzip'), html());
		expect(gzip.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(await bytesOf(gzip)).toString()).toBe(page);
		const noBrotli = compressResponse(get('br;q=0, gzip;q=0.5'), html());
		expect(noBrotli.headers.get('content-encoding')).toBe('gzip');
		const none = compressResponse(get('br;q=0, gzip;q=0'), html());
		expect(none.headers.get('content-encoding')).toBeNull();
		expect((await bytesOf(none)).toString()).toBe(page);
	});

	it('keeps the status, cookies and other headers, drops the length and weakens the validator', async () => {
		const source = html(page, { 'content-length': String(Buffer.byteLength(page)), etag: '"abc"', 'x-frame-options': 'DENY' }, 400);
		source.headers.append('set-cookie', 'a=1; Path=/');
		source.headers.append('set-cookie', 'b=2; Path=/');
		const res = compressResponse(get('br'), source);
		expect(res.status).toBe(400);
		expect(res.headers.get('content-length')).toBeNull();
		expect(res.headers.get('etag')).toBe('W/"abc"');
		expect(res.headers.get('x-frame-options')).toBe('DENY');
		expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
	});

	it('compresses JSON and CSV but not images, archives or small bodies', () => {
		const json = new Response(JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ i })) }), { headers: { 'content-type': 'application/json' } });
		expect(chooseEncoding(get('br'), json)).toBe('br');
		expect(chooseEncoding(get('br'), new Response('a,b\n'.repeat(500), { headers: { 'content-type': 'text/csv; charset=utf-8' } }))).toBe('br');
		expect(chooseEncoding(get('br'), new Response(new Uint8Array(5000), { headers: { 'content-type': 'image/jpeg' } }))).toBeNull();
		expect(chooseEncoding(get('br'), new Response(new Uint8Array(5000), { headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }))).toBeNull();
		const small = 'x'.repeat(MIN_COMPRESS_BYTES - 1);
		expect(chooseEncoding(get('br'), html(small, { 'content-length': String(small.length) }))).toBeNull();
	});

	it('leaves HEAD, 304, ranges, no-transform and already-encoded answers alone', () => {
		expect(chooseEncoding(get('br', {}, 'HEAD'), html())).toBeNull();
		expect(chooseEncoding(get('br'), html(null, {}, 304))).toBeNull();
		expect(chooseEncoding(get('br', { range: 'bytes=0-10' }), html())).toBeNull();
		expect(chooseEncoding(get('br'), html(page, { 'cache-control': 'private, no-transform' }))).toBeNull();
		expect(chooseEncoding(get('br'), html(page, { 'content-encoding': 'gzip' }))).toBeNull();
		expect(chooseEncoding(get(null), html())).toBeNull();
	});

	it('sends plain text for odd or hostile Accept-Encoding headers, and never throws', async () => {
		for (const header of ['', ';;;', 'br;q=abc', 'gzip;q=-1', '%zz, \\, __proto__', 'identity', 'compress', 'x'.repeat(8000), Array(500).fill('gzip;q=0.1').join(',')]) {
			const res = compressResponse(get(header), html());
			const encoding = res.headers.get('content-encoding');
			expect([null, 'br', 'gzip']).toContain(encoding);
			const bytes = await bytesOf(res);
			const text = encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes;
			expect(text.toString()).toBe(page);
		}
	});

	it('marks a plain answer of a compressible type as varying, and passes others through untouched', () => {
		const plain = compressResponse(get(null), html());
		expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);
		const jpeg = new Response(new Uint8Array(10), { headers: { 'content-type': 'image/jpeg' } });
		expect(compressResponse(get('br'), jpeg)).toBe(jpeg);
	});
});
