/**
 * Photos in headless Chromium, against the built server with demo data. Prints measured figures only.
 *  1. Processing: 12-megapixel frames (4000×3000, gradients + shapes + text + noise, a different
 *     one each time), encoded as the camera's JPEG file and put through the app's photo worker
 *     (process.worker.ts, through PhotoProcessor): time per photo, output size and dimensions.
 *  2. Upload: staff1 signs in, the device registers and pulls its visits (the app's sync HTTP
 *     transport), 100 distinct processed photos are saved with the app's store (Dexie, the
 *     browser's own IndexedDB) and sent by the app's PhotoUploadQueue + HTTP transport while
 *     Chromium's network is throttled (CDP Network.emulateNetworkConditions); the server's
 *     SQLite `photos` table is then checked for the 100 rows.
 *
 *   npm run build && npm run bench:photos -- [--frames 12] [--photos 100] [--up-kbit 750] [--down-kbit 4000] [--latency 100]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const frames = Number(flag('frames', '12'));
const photoCount = Number(flag('photos', '100'));
const upKbit = Number(flag('up-kbit', '750'));
const downKbit = Number(flag('down-kbit', '4000'));
const latencyMs = Number(flag('latency', '100'));
const uploadBps = (upKbit * 1000) / 8; // bytes per second, as CDP wants them
const downloadBps = (downKbit * 1000) / 8;

const root = path.resolve(import.meta.dirname, '../..');
const port = Number(process.env.BENCH_PHOTOS_PORT ?? 4193);
const base = `http://127.0.0.1:${port}`;
const dataDir = '.tmp/bench-photos';
// The upload limit (120 per minute per user by default) would turn this into a rate-limit test.
const RATE_UPLOADS_PER_MINUTE = '100000';

async function startServer(): Promise<ChildProcess> {
	const server = spawn('node', ['scripts/e2e-server.js'], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, E2E_DATA_DIR: dataDir, E2E_LOG_DIR: '.tmp/bench-photos-logs', RATE_UPLOADS_PER_MINUTE },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(`${base}/login`)).ok) return server;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	server.kill();
	throw new Error('server did not start');
}

async function bundle(entry: string): Promise<string> {
	const result = await build({
		entryPoints: [path.join(root, entry)],
		bundle: true,
		write: false,
		format: 'iife',
		target: 'es2022',
		minify: true,
		alias: { $lib: path.join(root, 'src/lib') },
		logLevel: 'error' // photo-processor's default spawn uses import.meta.url: unused here
	});
	return result.outputFiles[0].text;
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const workerCode = await bundle('src/lib/client/photos/process.worker.ts');
const pageCode = await bundle('bench/photos/page-entry.ts');
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const server = await startServer();
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
	// bypassCSP: the app's CSP rightly forbids blob: workers and injected scripts; the bench
	// injects the app's own modules. No service worker: only the queue's own requests are timed.
	const context = await browser.newContext({ bypassCSP: true, serviceWorkers: 'block' });
	const page = await context.newPage();
	console.log(`Photos in Chromium ${browser.version()} (headless), server ${base} (built app, demo data, ${dataDir})`);
	console.log(`Server env: RATE_UPLOADS_PER_MINUTE=${RATE_UPLOADS_PER_MINUTE} (the default per-user upload limit of 120/min is lifted for this bench)`);

	// Sign in as field staff (the real form), then stay on a same-origin page that runs no app code.
	await page.goto(`${base}/login`);
	await page.fill('#username', 'staff1');
	await page.fill('#password', 'Doorstep-2026');
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
	await page.goto(`${base}/robots.txt`);
	await page.evaluate(pageCode);
	// tsx compiles the functions below with esbuild's keepNames, which calls a `__name` helper.
	await page.evaluate('globalThis.__name = (f) => f');

	// ---- Part 1: processing ----
	const part1 = await page.evaluate(
		async ({ workerCode, frames }) => {
			const B = (globalThis as any).__photoBench;
			const url = URL.createObjectURL(new Blob([workerCode], { type: 'text/javascript' }));
			const processor = new B.PhotoProcessor(() => new Worker(url));
			const W = 4000;
			const H = 3000;
			let seed = 12345;
			const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
			async function frame(i: number): Promise<Blob> {
				const canvas = new OffscreenCanvas(W, H);
				const ctx = canvas.getContext('2d')!;
				const g = ctx.createLinearGradient(0, 0, W * rand(), H);
				g.addColorStop(0, `hsl(${Math.floor(rand() * 360)} 45% 70%)`);
				g.addColorStop(0.5, `hsl(${Math.floor(rand() * 360)} 35% 45%)`);
				g.addColorStop(1, `hsl(${Math.floor(rand() * 360)} 40% 25%)`);
				ctx.fillStyle = g;
				ctx.fillRect(0, 0, W, H);
				for (let k = 0; k < 40; k++) {
					const r = ctx.createRadialGradient(W * rand(), H * rand(), 10, W * rand(), H * rand(), 200 + 900 * rand());
					r.addColorStop(0, `hsla(${Math.floor(rand() * 360)} 50% ${30 + 50 * rand()}% / 0.7)`);
					r.addColorStop(1, 'hsla(0 0% 50% / 0)');
					ctx.fillStyle = r;
					ctx.fillRect(0, 0, W, H);
				}
				// A document on the table: white card with printed lines, the kind of detail an ID photo has.
				ctx.save();
				ctx.translate(W * (0.25 + 0.2 * rand()), H * (0.2 + 0.2 * rand()));
				ctx.rotate((rand() - 0.5) * 0.3);
				ctx.fillStyle = '#f4f1ea';
				ctx.fillRect(0, 0, 1700, 1100);
				ctx.fillStyle = '#222';
				for (let line = 0; line < 14; line++) {
					ctx.font = `${34 + Math.floor(rand() * 20)}px sans-serif`;
					ctx.fillText(`Frame ${i} · 居民身份证 · line ${line} · ${Math.floor(rand() * 1e12)}`, 60, 100 + line * 70);
				}
				ctx.restore();
				// Sensor noise, different every frame: what makes a camera JPEG as large as it is.
				const img = ctx.getImageData(0, 0, W, H);
				const d = img.data;
				for (let p = 0; p < d.length; p += 4) {
					const n = ((Math.random() + Math.random() + Math.random() - 1.5) * 18) | 0;
					d[p] += n;
					d[p + 1] += n + (((Math.random() - 0.5) * 6) | 0);
					d[p + 2] += n;
				}
				ctx.putImageData(img, 0, 0);
				return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
			}
			const lines = (i: number) =>
				B.watermarkLines({ takenAt: new Date(), position: { lat: 31.2304 + i * 1e-4, lng: 121.4737, accuracyM: 8 }, visitRef: `V-BENCH-${i}`, staffNames: ['张伟', '李娜'], purpose: '仅供身份核验使用' });
			const rows: { inputBytes: number; ms: number; roundTripMs: number; bytes: number; width: number; height: number; quality: number; attempts: number }[] = [];
			const outputs: Blob[] = [];
			for (let i = 0; i < frames; i++) {
				const input = await frame(i);
				const posted = performance.now();
				const out = await processor.process(input, lines(i));
				rows.push({ inputBytes: input.size, ms: out.ms, roundTripMs: performance.now() - posted, bytes: out.bytes, width: out.width, height: out.height, quality: out.quality, attempts: out.attempts });
				outputs.push(out.blob);
			}
			// Kept for part 2: the processed photos are its sources.
			(globalThis as any).__outputs = outputs;
			(globalThis as any).__processor = processor;
			return { rows, cores: navigator.hardwareConcurrency };
		},
		{ workerCode, frames }
	);
	const rows = part1.rows;
	console.log('');
	console.log(`Part 1: ${rows.length} frames of 4000×3000 (12 MP), camera JPEG q0.92 as input (median ${kb(median(rows.map((r) => r.inputBytes)))}), through the app's photo worker; ${part1.cores} logical cores`);
	rows.forEach((r, i) => console.log(`  #${String(i + 1).padStart(2)}: ${r.ms} ms in worker (${Math.round(r.roundTripMs)} ms round trip), ${kb(r.bytes)}, ${r.width}×${r.height}, quality ${r.quality}, ${r.attempts} encodings`));
	const ms = rows.map((r) => r.ms);
	const rt = rows.map((r) => r.roundTripMs);
	const sizes = rows.map((r) => r.bytes);
	const dims = [...new Set(rows.map((r) => `${r.width}×${r.height}`))];
	console.log(`  time in worker: median ${Math.round(median(ms))} ms, max ${Math.max(...ms)} ms; round trip: median ${Math.round(median(rt))} ms, max ${Math.round(Math.max(...rt))} ms`);
	console.log(`  output size: median ${kb(median(sizes))}, max ${kb(Math.max(...sizes))}; ≤ 500 KB: ${sizes.filter((s) => s <= 500 * 1024).length}/${sizes.length}`);
	console.log(`  output dimensions: ${dims.join(', ')}`);

	// ---- Part 2: upload over a throttled link ----
	// The server takes at most 20 photos per visit (PHOTO_LIMITS.maxPerVisit). The pull window
	// (today − 7 … today + 14) may hold too few of staff1's visits for 100 photos: then staff1's
	// other visits that the server would accept (their team, not cancelled) are taken from the
	// server's SQLite file, read-only, and the output says how many came from where.
	const staffVisits = (() => {
		const sqlite = new Database(path.join(root, dataDir, 'doorstep.sqlite'), { readonly: true, fileMustExist: true });
		try {
			return (
				sqlite
					.prepare("SELECT v.id FROM visits v JOIN users u ON u.id IN (v.lead_staff_id, v.second_staff_id) WHERE u.username = 'staff1' AND v.status <> 'cancelled' ORDER BY v.date DESC, v.id")
					.all() as { id: string }[]
			).map((r) => r.id);
		} finally {
			sqlite.close();
		}
	})();
	const prepared = await page.evaluate(
		async ({ photoCount, staffVisits }) => {
			const B = (globalThis as any).__photoBench;
			const transport = B.createHttpTransport();
			const device = await transport.registerDevice('bench-photos');
			const pull = await transport.pull({ cursor: null }, device.id);
			const pulled = (pull.visits as { id: string; ref?: string; status?: string }[]).filter((v) => v.status !== 'cancelled');
			const perVisit = 20; // PHOTO_LIMITS.maxPerVisit: the server refuses a 21st photo for one visit
			const extra = pulled.length * perVisit >= photoCount ? [] : staffVisits.filter((id) => !pulled.some((v) => v.id === id)).slice(0, Math.ceil(photoCount / perVisit) - pulled.length);
			const visits: { id: string; ref?: string }[] = [...pulled, ...extra.map((id) => ({ id }))];
			// The store is sealed as on a tablet (a random data key, as after an unlock).
			const db = new B.DoorstepDb(`bench-photos-${Date.now()}`, await B.dataKeysFromRaw(crypto.getRandomValues(new Uint8Array(32))));
			await db.open();
			// 100 distinct photos: part 1's outputs through the same worker again, each with its
			// own watermark (index, time), so each has its own bytes and hash, sizes as the app makes.
			const outputs: Blob[] = (globalThis as any).__outputs;
			const processor = (globalThis as any).__processor;
			const kinds = ['id_front', 'id_back', 'staff_with_customer', 'signed_document', 'other'];
			const ids: string[] = [];
			const hashes: string[] = [];
			let bytes = 0;
			if (visits.length * perVisit < photoCount) return { pulled: pulled.length, extra: extra.length, ids, hashes, bytes, ok: false };
			for (let i = 0; i < photoCount; i++) {
				const visit = visits[Math.floor(i / perVisit)];
				const takenAt = new Date(Date.now() - (photoCount - i) * 1000);
				const lines = B.watermarkLines({ takenAt, position: { lat: 31.23 + i * 1e-5, lng: 121.47, accuracyM: 5 + (i % 20) }, visitRef: `${visit.ref ?? visit.id} #${i + 1}`, staffNames: ['staff1'], purpose: '仅供身份核验使用' });
				const out = await processor.process(outputs[i % outputs.length], lines);
				const row = await B.savePhoto(db, { visitId: visit.id, kind: kinds[i % kinds.length], blob: out.blob, sha256: out.sha256, bytes: out.bytes, width: out.width, height: out.height, takenAt: takenAt.toISOString(), position: { lat: 31.23, lng: 121.47, accuracyM: 5 } });
				ids.push(row.id);
				hashes.push(out.sha256);
				bytes += out.bytes;
			}
			(globalThis as any).__db = db;
			return { pulled: pulled.length, extra: extra.length, ids, hashes, bytes, ok: true };
		},
		{ photoCount, staffVisits }
	);
	console.log('');
	if (!prepared.ok) throw new Error(`staff1 has ${prepared.pulled + prepared.extra} usable visits; ${photoCount} photos need ${Math.ceil(photoCount / 20)} (20 per visit)`);
	const distinct = new Set(prepared.hashes).size;
	console.log(`Part 2: staff1 signed in; device registered; the pull gave ${prepared.pulled} open visits${prepared.extra ? `, ${prepared.extra} more of staff1's visits taken from the server's SQLite (20 photos per visit at most)` : ''}; ${prepared.ids.length} photos saved in Dexie (${distinct} distinct SHA-256), ${prepared.bytes} bytes (${kb(prepared.bytes)}), over ${Math.ceil(photoCount / 20)} visits`);

	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, uploadThroughput: uploadBps, downloadThroughput: downloadBps });
	console.log(`  Chromium network conditions (CDP): upload ${upKbit} kbit/s (${uploadBps} B/s), download ${downKbit} kbit/s (${downloadBps} B/s), latency ${latencyMs} ms`);

	const upload = await page.evaluate(async ({ photoCount }) => {
		const B = (globalThis as any).__photoBench;
		const db = (globalThis as any).__db;
		const receipts: number[] = [];
		const queue = new B.PhotoUploadQueue({ db, transport: B.createHttpPhotoTransport(), online: true, onUploaded: async () => void receipts.push(performance.now()) });
		const started = performance.now();
		await queue.start();
		// Until every photo has a receipt or was refused, or 30 minutes pass.
		for (;;) {
			const uploaded = await db.photos.where('status').equals('uploaded').count();
			const refused = await db.photos.where('status').equals('refused').count();
			if (uploaded + refused >= photoCount || performance.now() - started > 30 * 60_000) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		await queue.idle();
		queue.stop();
		const rows = await db.photos.toArray();
		const withReceipt = rows.filter((p: any) => p.receipt && p.receipt.id === p.id && p.receipt.sha256 === p.sha256).length;
		const errors = [...new Set(rows.filter((p: any) => p.lastError).map((p: any) => p.lastError))];
		return {
			concurrency: (queue as any).concurrency as number,
			totalMs: (receipts.length ? Math.max(...receipts) : performance.now()) - started,
			receipts: withReceipt,
			refused: rows.filter((p: any) => p.status === 'refused').length,
			retries: rows.reduce((n: number, p: any) => n + Math.max(0, p.attempts - 1), 0),
			errors
		};
	}, { photoCount });
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, uploadThroughput: -1, downloadThroughput: -1 });

	const linkSeconds = prepared.bytes / uploadBps;
	const totalSeconds = upload.totalMs / 1000;
	console.log(`  upload queue concurrency: ${upload.concurrency} (the queue's default, as the app constructs it)`);
	console.log(`  total time, queue start to last receipt: ${totalSeconds.toFixed(1)} s`);
	console.log(`  total photo bytes: ${prepared.bytes} (${(prepared.bytes / 1024 / 1024).toFixed(2)} MB); those bytes alone at ${uploadBps} B/s: ${linkSeconds.toFixed(1)} s`);
	console.log(`  ratio total / bytes-alone: ${(totalSeconds / linkSeconds).toFixed(3)}; effective upload rate ${((prepared.bytes * 8) / 1000 / totalSeconds).toFixed(0)} kbit/s`);
	console.log(`  receipts matching id + hash: ${upload.receipts}/${photoCount}; refused: ${upload.refused}; retried attempts: ${upload.retries}${upload.errors.length ? `; errors seen: ${upload.errors.join(', ')}` : ''}`);

	// The server's side: the rows in its SQLite file (read-only, the server still runs).
	const sqlite = new Database(path.join(root, dataDir, 'doorstep.sqlite'), { readonly: true, fileMustExist: true });
	try {
		const found = new Map<string, { sha256: string; bytes: number }>();
		const select = sqlite.prepare('SELECT id, sha256, bytes FROM photos WHERE id = ?');
		for (const id of prepared.ids) {
			const row = select.get(id) as { id: string; sha256: string; bytes: number } | undefined;
			if (row) found.set(id, row);
		}
		const hashOk = prepared.ids.filter((id, i) => found.get(id)?.sha256 === prepared.hashes[i]).length;
		const total = (sqlite.prepare('SELECT COUNT(*) AS n FROM photos').get() as { n: number }).n;
		const byStaff1 = (sqlite.prepare("SELECT COUNT(*) AS n FROM photos p JOIN users u ON u.id = p.uploaded_by WHERE u.username = 'staff1'").get() as { n: number }).n;
		console.log(`  server SQLite photos table: ${found.size}/${photoCount} of these ids present, ${hashOk} with the same SHA-256; ${byStaff1} rows uploaded by staff1; ${total} rows in all`);
	} finally {
		sqlite.close();
	}
} finally {
	await browser.close();
	server.kill();
}
