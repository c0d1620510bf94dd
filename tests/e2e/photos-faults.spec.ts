import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { login, shanghaiDate } from './helpers';
import { fieldLogin, freePort, OwnServer, planVisit, tabletOptions, withDb, workVisit } from './field-helpers';
import { devicePhotos, hashOfStored, jpeg, photoRows, sha256, storageFiles } from './photo-flow-helpers';

/**
 * Photo uploads when things go wrong, in real Chromium against the real server: the server dies
 * in the middle of an upload and comes back (every photo arrives exactly once, intact, and the
 * tablet keeps what had no receipt), and uploads the server must refuse, sent from real browser
 * sessions (each refused with its reason, nothing stored).
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
const tabletContext = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1180, height: 820 }, permissions: ['geolocation', 'camera'], geolocation };

test('the server is killed mid-upload and restarted: every photo arrives exactly once, intact; the tablet keeps what had no receipt', async ({ browser }) => {
	test.setTimeout(240_000);
	// Its own server: this one is killed. Same port and data folder when it comes back.
	const dir = `${DATA_DIR}-kill`;
	const server = new OwnServer(await freePort(), dir);
	try {
		await server.start(false);
		const today = shanghaiDate(0);
		const visit = await planVisit(server.baseURL, dir, { date: today, start: '18:30', end: '19:30', lead: 'staff1', second: 'staff2', tag: '断电老人' });
		// No service worker: nothing between the page and the network but the throttle below.
		const tablet = await browser.newContext({ ...tabletContext, baseURL: server.baseURL, serviceWorkers: 'block' });
		const page = await tablet.newPage();
		await fieldLogin(page, 'staff1');
		await page.goto(`/field?date=${today}`);
		await page.locator('article.visit', { hasText: visit.residentName }).getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);

		// PUTs in flight and receipts, as the browser sees them.
		const inFlight = new Map<string, number>();
		const created: string[] = [];
		const isPut = (r: { method(): string; url(): string }) => r.method() === 'PUT' && r.url().includes('/api/photos/');
		page.on('request', (r) => void (isPut(r) && inFlight.set(r.url(), Date.now())));
		page.on('requestfailed', (r) => void (isPut(r) && inFlight.delete(r.url())));
		page.on('requestfinished', async (r) => {
			if (!isPut(r)) return;
			inFlight.delete(r.url());
			if ((await r.response())?.status() === 201) created.push(r.url());
		});

		// Uploads at ~100 kbit/s (CDP; no service worker in between): each photo takes seconds.
		const cdp = await tablet.newCDPSession(page);
		const throttle = (up: number) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: up > 0 ? 40 : 0, downloadThroughput: -1, uploadThroughput: up });
		await throttle(12_500);
		// The team works the visit (the photos upload as they are taken, two at a time) while the
		// server is killed once a photo went up and another one is half-way through.
		const work = workVisit(page, { lead: '王晓东', second: '李婷' }).then(() => null, (e: unknown) => e);
		await expect.poll(() => created.length >= 1 && [...inFlight.values()].some((t) => Date.now() - t > 500), { timeout: 90_000, intervals: [50] }).toBe(true);
		const cutIds = [...inFlight.keys()].map((u) => u.split('/').pop()!);
		await server.stop();
		expect(cutIds.length, 'at least one upload was cut off').toBeGreaterThan(0);
		const failed = await work; // the tablet does not need the server to finish the visit
		if (failed) throw failed;
		const taken = await devicePhotos(page, visit.visitId);
		expect(taken).toHaveLength(4);

		// Server side, after the crash: only the photos with a receipt, whole; no partial file.
		const before = photoRows(dir, visit.visitId);
		expect(before.length).toBeGreaterThanOrEqual(1);
		expect(before.length).toBeLessThan(4);
		for (const id of cutIds) expect(before.map((r) => r.id)).not.toContain(id);
		expect(storageFiles(dir).filter((f) => f.startsWith('.tmp')), 'no temporary copy left').toEqual([]);

		// Device side: every photo without a receipt still has its bytes.
		await expect.poll(async () => (await devicePhotos(page, visit.visitId)).filter((p) => p.status !== 'uploading').length, { timeout: 15_000 }).toBe(4);
		const afterCut = await devicePhotos(page, visit.visitId);
		for (const p of afterCut) expect(p.receiptSha === p.sha256 || p.hasBlob, `${p.kind} kept until its receipt`).toBe(true);
		for (const id of cutIds) expect(afterCut.find((p) => p.id === id)).toMatchObject({ status: 'queued', hasBlob: true, receiptSha: null });

		// The server comes back; the queue retries on its own (back-off), unthrottled now.
		await server.start(true);
		await throttle(-1);
		await expect(page.getByTestId('photo-queue')).toHaveCount(0, { timeout: 90_000 });
		await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 60_000 });
		await expect(page.getByTestId('photo-refused')).toHaveCount(0);

		// Exactly once, intact: one row per photo id, one file per hash, bytes hash to the name.
		const rows = photoRows(dir, visit.visitId);
		expect(rows.map((r) => r.id).sort()).toEqual(taken.map((p) => p.id).sort());
		for (const p of taken) expect(rows.find((r) => r.id === p.id)!.sha256).toBe(p.sha256);
		const files = storageFiles(dir);
		expect(files.filter((f) => f.startsWith('.tmp')), 'no temporary copy left').toEqual([]);
		const hashes = [...new Set(rows.map((r) => r.sha256))]; // equal frames share one file
		expect(files).toEqual(hashes.map((h) => `${h.slice(0, 2)}/${h.slice(2, 4)}/${h}.jpg`).sort());
		for (const r of rows) expect(hashOfStored(dir, r.sha256), `stored bytes of ${r.kind}`).toBe(r.sha256);
		const audited = withDb(dir, (db) => db.prepare(`select count(*) as n from audit_log where action = 'photo_upload' and entity_id = ?`).get(visit.visitId) as { n: number });
		expect(audited.n).toBe(4);

		// Every receipt in and the completion applied: now, and only now, the bytes may go.
		await expect
			.poll(async () => (await devicePhotos(page, visit.visitId)).every((p) => p.receiptSha === p.sha256 && !p.hasBlob), { timeout: 30_000 })
			.toBe(true);
		await tablet.close();
	} finally {
		await server.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});

/** A small real JPEG drawn in the page (distinct per seed). */
test('uploads the server must refuse, from real browser sessions: each with its reason, nothing stored', async ({ browser, baseURL }) => {
	test.setTimeout(120_000);
	const visit = await planVisit(baseURL!, DATA_DIR, { date: shanghaiDate(9 + test.info().repeatEachIndex), start: '10:00', end: '11:00', lead: 'staff1', second: 'staff2', tag: '拒收老人' });
	const session = async (username: string) => {
		const ctx = await browser.newContext({ baseURL, serviceWorkers: 'block' });
		const page = await ctx.newPage();
		await login(page, username);
		return page;
	};
	const staff1 = await session('staff1');
	const put = (page: Page, id: string, body: Buffer, sha = sha256(body), extra: Record<string, string> = {}) =>
		page.request.put(`/api/photos/${id}`, {
			data: body,
			headers: {
				origin: baseURL!,
				'content-type': 'image/jpeg',
				'x-photo-sha256': sha,
				'x-photo-visit': visit.visitId,
				'x-photo-kind': 'id_front',
				'x-photo-taken-at': new Date().toISOString(),
				...extra
			}
		});
	const a = await jpeg(staff1, 1);
	const b = await jpeg(staff1, 2);
	expect(sha256(a)).not.toBe(sha256(b));

	// One accepted photo first (a replay of it is answered with the same receipt).
	const stored = randomUUID();
	const ok = await put(staff1, stored, a);
	expect(ok.status()).toBe(201);
	expect(await ok.json()).toMatchObject({ id: stored, sha256: sha256(a), visitId: visit.visitId });
	const again = await put(staff1, stored, a);
	expect(again.status()).toBe(200);

	const snapshot = () => ({ rows: photoRows(DATA_DIR).map((r) => r.id), files: storageFiles(DATA_DIR) });
	const baseline = snapshot();
	expect(baseline.rows).toContain(stored);
	type Answer = { status(): number; json(): Promise<unknown> };
	const refused = async (what: string, res: Answer, status: number, message: string) => {
		expect(res.status(), what).toBe(status);
		expect(await res.json(), what).toEqual({ message });
		expect(snapshot(), `${what}: nothing stored`).toEqual(baseline);
	};

	await refused('wrong hash', await put(staff1, randomUUID(), a, sha256(b)), 422, 'photo_err_hash_mismatch');
	const text = Buffer.from('这不是照片 — not an image at all');
	await refused('not an image', await put(staff1, randomUUID(), text), 415, 'photo_err_not_jpeg');
	// Too large: sent by the browser's own fetch. The server answers 413 from the declared length
	// without reading the body and drops the connection; Chromium reads that early answer, while
	// Node's client (page.request) only sees the reset.
	const size = 1024 * 1024 + 10;
	const big = Buffer.alloc(size);
	big[0] = 0xff;
	big[1] = 0xd8;
	const tooLarge = await staff1.evaluate(
		async ({ id, size, headers }) => {
			const body = new Uint8Array(size);
			body.set([0xff, 0xd8]);
			const r = await fetch(`/api/photos/${id}`, { method: 'PUT', body, headers });
			return { status: r.status, body: await r.json() };
		},
		{ id: randomUUID(), size, headers: { 'content-type': 'image/jpeg', 'x-photo-sha256': sha256(big), 'x-photo-visit': visit.visitId, 'x-photo-kind': 'id_front', 'x-photo-taken-at': new Date().toISOString() } }
	);
	await refused('too large', { status: () => tooLarge.status, json: async () => tooLarge.body }, 413, 'photo_err_too_large');

	// staff4 works for 北干, the visit is 城厢's.
	const staff4 = await session('staff4');
	await refused("another outlet's visit", await put(staff4, randomUUID(), b), 403, 'photo_err_not_your_visit');
	await refused("another outlet replays the id", await put(staff4, stored, a), 403, 'photo_err_not_your_visit');
	// staff2 is on the visit's team, but the photo id was uploaded in staff1's session.
	const staff2 = await session('staff2');
	await refused("another user's session replays the id", await put(staff2, stored, a), 403, 'photo_err_not_your_visit');
	await refused('a replay with a different body', await put(staff1, stored, b), 409, 'photo_err_id_taken');
	// Without the Origin header the CSRF guard refuses the write before the upload code runs.
	const noOrigin = await staff1.request.put(`/api/photos/${randomUUID()}`, { data: b, headers: { 'content-type': 'image/jpeg', 'x-photo-sha256': sha256(b), 'x-photo-visit': visit.visitId, 'x-photo-kind': 'id_front', 'x-photo-taken-at': new Date().toISOString() } });
	expect(noOrigin.status()).toBe(403);
	expect(snapshot()).toEqual(baseline);
	for (const p of [staff1, staff2, staff4]) await p.context().close();
});
