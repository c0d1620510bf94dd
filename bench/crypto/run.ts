/**
 * The device store's cryptography in headless Chromium (the tablet's engine), with the app's own
 * code. Prints measured figures only:
 *  1. Rows: seal + open of a visit-sized row with the synchronous AES-256-GCM row cipher (the one
 *     that runs inside IndexedDB transactions), per row.
 *  2. Photo bytes: one 470 KB JPEG-sized buffer sealed and opened with WebCrypto AES-GCM (what the
 *     app uses) and with the synchronous JS cipher (what it would cost inside a transaction).
 *  3. The PIN: PBKDF2 iterations calibrated for ≈ 0.5 s on this machine, and the measured time of
 *     an unlock (unwrap) with that count.
 *
 *   npm run bench:crypto -- [--rows 2000] [--photos 20]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const rows = Number(flag('rows', '2000'));
const photos = Number(flag('photos', '20'));
const root = path.resolve(import.meta.dirname, '../..');

const code = (
	await build({ entryPoints: [path.join(root, 'bench/crypto/page-entry.ts')], bundle: true, write: false, format: 'iife', target: 'es2022', minify: true, logLevel: 'error' })
).outputFiles[0].text;
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
	const page = await browser.newPage();
	// WebCrypto needs a secure context: an https page answered by Playwright itself, no server.
	await page.route('https://bench.doorstep.invalid/', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
	await page.goto('https://bench.doorstep.invalid/');
	await page.evaluate(code);
	await page.evaluate('globalThis.__name = (f) => f');
	console.log(`Device-store cryptography in Chromium ${browser.version()} (headless), ${rows} rows, ${photos} photos of 470 KB`);
	const r = await page.evaluate(
		async ({ rows, photos }) => {
			const B = (globalThis as any).__cryptoBench;
			const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
			const key = crypto.getRandomValues(new Uint8Array(32));
			const cipher = B.createRowCipher(key);
			const row = {
				id: 'v1', date: '2026-11-27', requestId: 'r1', ref: 'R2611-0001', status: 'scheduled', notes: '老人行动不便，请提前电话联系家属。'.repeat(3),
				communityName: '城厢社区', lead: { id: 'a', name: '王晓东' }, second: { id: 'b', name: '李婷' }, services: ['pin_reset', 'info_update'], start: '09:00', end: '10:00'
			};
			let t = performance.now();
			let stored: unknown = null;
			for (let i = 0; i < rows; i++) stored = cipher.seal('visits', row, ['id', 'date', 'requestId']);
			const sealMs = (performance.now() - t) / rows;
			t = performance.now();
			for (let i = 0; i < rows; i++) cipher.open('visits', stored);
			const openMs = (performance.now() - t) / rows;
			const rowBytes = new TextEncoder().encode(JSON.stringify(row)).length;

			const jpeg = new Uint8Array(470 * 1024).map((_, i) => (i * 7919 + (i >> 8)) & 255);
			const blob = new Blob([jpeg], { type: 'image/jpeg' });
			const webKey = await crypto.subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
			const webSeal: number[] = [];
			const webOpen: number[] = [];
			const jsSeal: number[] = [];
			for (let i = 0; i < photos; i++) {
				t = performance.now();
				const sealed = await B.sealBlob(webKey, blob);
				webSeal.push(performance.now() - t);
				t = performance.now();
				await B.openBlob(webKey, sealed);
				webOpen.push(performance.now() - t);
				t = performance.now();
				B.gcm(key, crypto.getRandomValues(new Uint8Array(12))).encrypt(jpeg);
				jsSeal.push(performance.now() - t);
			}

			const iterations = await B.calibrateIterations(500);
			const dataKey = await B.newDataKey();
			const wrapping = await B.wrapWithPin(dataKey, '472951', iterations);
			const unlocks: number[] = [];
			for (let i = 0; i < 3; i++) {
				t = performance.now();
				await B.unwrapWithPin(wrapping, '472951');
				unlocks.push(performance.now() - t);
			}
			return { sealMs, openMs, rowBytes, webSeal: median(webSeal), webOpen: median(webOpen), jsSeal: median(jsSeal), iterations, unlock: median(unlocks) };
		},
		{ rows, photos }
	);
	console.log(`Part 1: row cipher (sync AES-256-GCM, @noble/ciphers), ${r.rowBytes}-byte visit row`);
	console.log(`  seal: ${(r.sealMs * 1000).toFixed(0)} µs per row; open: ${(r.openMs * 1000).toFixed(0)} µs per row`);
	console.log(`Part 2: photo bytes, 470 KB (median of ${photos})`);
	console.log(`  WebCrypto AES-GCM (used): seal ${r.webSeal.toFixed(2)} ms, open ${r.webOpen.toFixed(2)} ms`);
	console.log(`  sync JS AES-GCM (not used for bytes): seal ${r.jsSeal.toFixed(2)} ms; ratio ${(r.jsSeal / r.webSeal).toFixed(1)}×`);
	console.log(`Part 3: PIN key (PBKDF2-SHA256)`);
	console.log(`  calibrated iterations for 500 ms here: ${r.iterations}; unlock with them: median ${r.unlock.toFixed(0)} ms (of 3)`);
} finally {
	await browser.close();
}
