import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectEveryResponse, readPrerenderedPages, STATIC_CSP, withMetaImageSource } from './base-headers.js';

const SHELL = `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; img-src 'self' data: blob:; script-src 'self' 'sha256-abc='"></head><body><script>start()</script></body></html>`;

describe('withMetaImageSource', () => {
	it('adds the tile origin to img-src of the meta policy, once', () => {
		const out = withMetaImageSource(SHELL, 'https://*.tile.example.org');
		expect(out).toContain(`img-src 'self' data: blob: https://*.tile.example.org; script-src 'self' 'sha256-abc='`);
		expect(withMetaImageSource(out, 'https://*.tile.example.org')).toBe(out);
		expect(out.replace(/content="[^"]*"/, '')).toBe(SHELL.replace(/content="[^"]*"/, '')); // nothing else changes
	});
});

describe('protectEveryResponse (the adapter-node server)', () => {
	let dir: string;
	let server: http.Server;
	let base: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'doorstep-prerendered-'));
		mkdirSync(path.join(dir, 'nested'));
		writeFileSync(path.join(dir, 'field-shell.html'), SHELL);
		writeFileSync(path.join(dir, 'nested', 'index.html'), SHELL);
		// Stands in for adapter-node: sirv and SvelteKit write their own headers after ours.
		server = http.createServer((req, res) => {
			if (req.url === '/page') res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'nonce-x'");
			res.writeHead(200, { 'content-type': 'text/plain', 'x-from': 'app' });
			res.end(`app ${req.url}`);
		});
		protectEveryResponse(server, { https: true, tileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', prerenderedDir: dir });
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((r) => server.close(r));
		rmSync(dir, { recursive: true, force: true });
	});

	it('finds the prerendered pages by route', () => {
		expect([...readPrerenderedPages(dir).keys()].sort()).toEqual(['/field-shell', '/nested']);
	});

	it('every response carries the base headers; the app may replace the CSP', async () => {
		const asset = await fetch(`${base}/_app/immutable/x.js`);
		expect(await asset.text()).toBe('app /_app/immutable/x.js');
		expect(asset.headers.get('x-from')).toBe('app');
		expect(asset.headers.get('content-security-policy')).toBe(STATIC_CSP);
		expect(asset.headers.get('x-frame-options')).toBe('DENY');
		expect(asset.headers.get('strict-transport-security')).toBe('max-age=31536000');
		expect(asset.headers.get('cross-origin-opener-policy')).toBe('same-origin');
		const page = await fetch(`${base}/page`);
		expect(page.headers.get('content-security-policy')).toBe("default-src 'self'; script-src 'self' 'nonce-x'");
		expect(page.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('serves the prerendered shell with the tile origin in its meta policy', async () => {
		const shell = await fetch(`${base}/field-shell?x=1`);
		const html = await shell.text();
		expect(html).toContain("img-src 'self' data: blob: https://*.tile.example.org;");
		expect(shell.headers.get('content-security-policy')).toBe(STATIC_CSP);
		expect(shell.headers.get('content-type')).toContain('text/html');
		expect(shell.headers.get('x-from')).toBeNull();
		expect((await fetch(`${base}/field-shell`, { method: 'POST' })).headers.get('x-from')).toBe('app');
	});
});
