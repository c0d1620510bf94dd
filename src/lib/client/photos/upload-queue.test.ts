import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhotoReceipt } from '$lib/domain/photos';
import { closeUserDb, openUserDb, type DoorstepDb, type LocalPhoto } from '../db';
import { testKeys } from '../crypto/test-keys';
import { putPhotoWithBytes, readPhotoBytes } from './bytes';
import { FakeClock } from '../sync/testing/memory-transport';
import { createHttpPhotoTransport } from './http-photo-transport';
import { afterFailure, duePhotos, nextWake, PHOTO_BACKOFF, PhotoUploadError, PhotoUploadQueue, summarize, type PhotoTransport, type PhotoUpload } from './upload-queue';

let n = 0;
function photo(overrides: Partial<LocalPhoto> = {}): LocalPhoto {
	const id = overrides.id ?? `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
	return {
		id,
		visitId: 'v1',
		kind: 'id_front',
		hasBytes: true,
		sha256: id.replace(/-/g, '').padEnd(64, '0').slice(0, 64),
		bytes: 100,
		width: 10,
		height: 10,
		takenAt: `2026-11-27T01:00:${String(n % 60).padStart(2, '0')}.000Z`,
		position: null,
		status: 'queued',
		attempts: 0,
		nextAttemptAt: 0,
		lastError: null,
		receipt: null,
		...overrides
	};
}

const receiptOf = (p: PhotoUpload): PhotoReceipt => ({ id: p.id, sha256: p.sha256, bytes: p.blob.size, visitId: p.visitId, receivedAt: '2026-11-27T01:00:00.000Z' });

/** A server stand-in that answers each upload by a script; records concurrency. */
class ScriptedServer implements PhotoTransport {
	calls: string[] = [];
	active = 0;
	maxActive = 0;
	private gates: (() => void)[] = [];
	hold = false;
	answer: (p: PhotoUpload) => PhotoReceipt | PhotoUploadError = (p) => receiptOf(p);
	sizes: number[] = [];
	async upload(p: PhotoUpload): Promise<PhotoReceipt> {
		this.calls.push(p.id);
		this.sizes.push(p.blob.size);
		this.active++;
		this.maxActive = Math.max(this.maxActive, this.active);
		try {
			if (this.hold) await new Promise<void>((r) => this.gates.push(r));
			const a = this.answer(p);
			if (a instanceof PhotoUploadError) throw a;
			return a;
		} finally {
			this.active--;
		}
	}
	release() {
		for (const g of this.gates.splice(0)) g();
	}
}

let user = 0;
async function setup(photos: LocalPhoto[], concurrency = 2) {
	const db = await openUserDb(`photo-user-${++user}-${Date.now()}`, await testKeys());
	for (const p of photos) {
		const { hasBytes, ...row } = p;
		if (hasBytes) await putPhotoWithBytes(db, row, new Blob([new Uint8Array(p.bytes)], { type: 'image/jpeg' }));
		else await db.photos.add(p);
	}
	const server = new ScriptedServer();
	const clock = new FakeClock();
	let uploadedHook = 0;
	const queue = new PhotoUploadQueue({ db, transport: server, clock, random: () => 0.5, concurrency, onUploaded: async () => void uploadedHook++ });
	return { db, server, clock, queue, hooks: () => uploadedHook };
}

async function settle(queue: PhotoUploadQueue) {
	for (let i = 0; i < 5; i++) await queue.idle();
}

afterEach(() => closeUserDb());

describe('scheduling (pure)', () => {
	it('picks due, queued photos with bytes, oldest first, within the free slots', () => {
		const a = photo({ takenAt: '2026-11-27T01:00:03.000Z' });
		const b = photo({ takenAt: '2026-11-27T01:00:01.000Z' });
		const later = photo({ nextAttemptAt: 5_000 });
		const refused = photo({ status: 'refused' });
		const done = photo({ status: 'uploaded' });
		const noBlob = photo({ hasBytes: false });
		const all = [a, b, later, refused, done, noBlob];
		expect(duePhotos(all, 1_000, 2).map((p) => p.id)).toEqual([b.id, a.id]);
		expect(duePhotos(all, 1_000, 1).map((p) => p.id)).toEqual([b.id]);
		expect(duePhotos(all, 1_000, 2, new Set([b.id])).map((p) => p.id)).toEqual([a.id]);
		expect(duePhotos(all, 1_000, 0)).toEqual([]);
		// a retried photo waits its turn behind fresh ones only until its time has come
		expect(duePhotos(all, 6_000, 3).map((p) => p.id)).toEqual([b.id, a.id, later.id]);
		expect(nextWake(all, 1_000)).toBe(5_000);
		expect(nextWake([a, b], 1_000)).toBeNull();
	});

	it('retries with growing, jittered back-off; a refusal is final; signed out counts no attempt', () => {
		const p = photo({ attempts: 2 });
		const retry = afterFailure(p, new PhotoUploadError('retry', 'sync_err_network'), 1_000, () => 0.5);
		// 3rd failure: base·2² = 20 s capped, half fixed + half·0.5 jitter = 15 s
		expect(retry).toEqual({ status: 'queued', attempts: 3, lastError: 'sync_err_network', nextAttemptAt: 1_000 + 15_000 });
		const low = afterFailure(p, new PhotoUploadError('retry', 'x'), 0, () => 0).nextAttemptAt!;
		const high = afterFailure(p, new PhotoUploadError('retry', 'x'), 0, () => 1).nextAttemptAt!;
		expect(low).toBe(10_000);
		expect(high).toBe(20_000);
		expect(afterFailure(photo({ attempts: 40 }), new PhotoUploadError('retry', 'x'), 0, () => 1).nextAttemptAt).toBe(PHOTO_BACKOFF.maxMs);
		expect(afterFailure(p, new PhotoUploadError('refused', 'photo_err_hash_mismatch'), 0, () => 0.5)).toEqual({ status: 'refused', attempts: 3, lastError: 'photo_err_hash_mismatch' });
		expect(afterFailure(p, new PhotoUploadError('auth', 'sync_err_auth'), 0, () => 0.5)).toEqual({ status: 'queued', lastError: 'sync_err_auth' });
	});

	it('summarises photos and bytes left and the round’s progress', () => {
		const s = summarize([photo({ bytes: 300 }), photo({ bytes: 200, status: 'uploading' }), photo({ status: 'refused', lastError: 'photo_err_not_jpeg' })], 500);
		expect(s).toMatchObject({ left: 2, bytesLeft: 500, refused: 1, uploading: 1, progress: 0.5 });
		expect(s.items.find((i) => i.status === 'refused')?.lastError).toBe('photo_err_not_jpeg');
		expect(summarize([], 500).progress).toBeNull();
	});
});

describe('the upload queue', () => {
	it('uploads every photo once, at most two at a time, and keeps the receipts', async () => {
		const photos = [photo(), photo(), photo(), photo(), photo()];
		const { db, server, queue, hooks } = await setup(photos);
		server.hold = true;
		await queue.start();
		// Each send first opens the photo's sealed bytes, then reaches the server.
		await vi.waitFor(() => expect(server.active).toBe(2));
		expect(queue.status).toMatchObject({ left: 5, uploading: 2, bytesLeft: 500 });
		for (let i = 0; i < 5; i++) {
			server.release();
			await new Promise((r) => setTimeout(r, 10));
		}
		server.hold = false;
		server.release();
		await settle(queue);
		expect(server.maxActive).toBe(2);
		expect([...server.calls].sort()).toEqual(photos.map((p) => p.id).sort());
		const rows = await db.photos.toArray();
		expect(rows.every((r) => r.status === 'uploaded' && r.receipt?.sha256 === r.sha256 && r.hasBytes)).toBe(true);
		// The transport got the JPEG the tablet keeps (opened from its sealed form).
		expect(server.sizes).toEqual(photos.map(() => 100));
		expect(hooks()).toBe(5);
		expect(queue.status).toMatchObject({ left: 0, bytesLeft: 0, progress: null, lastError: null });
	});

	it('retries a failing photo with back-off while the others go through; a refusal parks it with the reason', async () => {
		const flaky = photo();
		const bad = photo();
		const good = photo();
		const { db, server, clock, queue } = await setup([flaky, bad, good]);
		server.answer = (p) =>
			p.id === bad.id
				? new PhotoUploadError('refused', 'photo_err_hash_mismatch')
				: p.id === flaky.id && server.calls.filter((id) => id === flaky.id).length <= 2 // fails twice
					? new PhotoUploadError('retry', 'sync_err_server')
					: receiptOf(p);
		await queue.start();
		await settle(queue);
		expect(await db.photos.get(good.id)).toMatchObject({ status: 'uploaded' });
		expect(await db.photos.get(bad.id)).toMatchObject({ status: 'refused', lastError: 'photo_err_hash_mismatch', attempts: 1, receipt: null });
		let row = (await db.photos.get(flaky.id))!;
		expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: 'sync_err_server' });
		expect(queue.status).toMatchObject({ left: 1, refused: 1, lastError: 'photo_err_hash_mismatch' });
		expect(clock.timers).toHaveLength(1);
		expect(clock.timers[0].delay).toBe(row.nextAttemptAt - clock.now());

		// Not before its time: a kick does not send it again.
		const callsBefore = server.calls.length;
		await queue.kick();
		await settle(queue);
		expect(server.calls.length).toBe(callsBefore);

		clock.advance(clock.timers[0].delay);
		await settle(queue);
		row = (await db.photos.get(flaky.id))!;
		expect(row).toMatchObject({ status: 'queued', attempts: 2 });
		clock.advance(clock.timers[0].delay);
		await settle(queue);
		expect(await db.photos.get(flaky.id)).toMatchObject({ status: 'uploaded', attempts: 3, lastError: null });
		expect(server.calls.filter((id) => id === bad.id)).toHaveLength(1); // refused: never sent again by itself

		// The team can ask for a refused photo to be sent again.
		server.answer = receiptOf;
		await queue.retry(bad.id);
		await settle(queue);
		expect(await db.photos.get(bad.id)).toMatchObject({ status: 'uploaded' });
	});

	it('stops on a 401 until the next trigger, counting no attempt', async () => {
		const a = photo();
		const b = photo();
		const { db, server, queue } = await setup([a, b], 1);
		server.answer = () => new PhotoUploadError('auth', 'sync_err_auth');
		await queue.start();
		await settle(queue);
		expect(server.calls).toHaveLength(1);
		expect(queue.status).toMatchObject({ signedOut: true, left: 2, lastError: 'sync_err_auth' });
		expect(await db.photos.get(server.calls[0])).toMatchObject({ status: 'queued', attempts: 0 });
		server.answer = receiptOf;
		await queue.kick(); // e.g. the sync engine succeeded after the user signed in again
		await settle(queue);
		expect((await db.photos.toArray()).map((p) => p.status)).toEqual(['uploaded', 'uploaded']);
	});

	it('waits while offline, resumes on online, and requeues uploads cut by a closed app', async () => {
		const cut = photo({ status: 'uploading' });
		const { db, server, queue } = await setup([cut]);
		queue.handleOffline();
		await queue.start();
		await settle(queue);
		expect(server.calls).toHaveLength(0);
		expect(await db.photos.get(cut.id)).toMatchObject({ status: 'queued' });
		await queue.handleOnline();
		await settle(queue);
		expect(await db.photos.get(cut.id)).toMatchObject({ status: 'uploaded' });
	});

	it('keeps its copy when the receipt is for other bytes', async () => {
		const p = photo();
		const { db, server, queue } = await setup([p]);
		server.answer = (u) => ({ ...receiptOf(u), sha256: 'f'.repeat(64) });
		await queue.start();
		await settle(queue);
		expect(await db.photos.get(p.id)).toMatchObject({ status: 'refused', lastError: 'photo_ui_err_bad_receipt', receipt: null });
		expect((await db.photos.get(p.id))!.hasBytes).toBe(true);
		expect((await readPhotoBytes(db, p.id))?.size).toBe(100);
	});
});

describe('the HTTP photo transport', () => {
	const upload: PhotoUpload = {
		id: '00000000-0000-4000-8000-000000000001',
		visitId: 'v1',
		kind: 'id_back',
		blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' }),
		sha256: 'a'.repeat(64),
		takenAt: '2026-11-27T01:00:00.000Z',
		position: { lat: 30.1571, lng: 120.2578, accuracyM: 12 }
	};
	const reply = (status: number, body: unknown) => async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
	const outcome = async (f: typeof fetch) => {
		try {
			return await createHttpPhotoTransport({ fetch: f }).upload(upload);
		} catch (err) {
			return err;
		}
	};

	it('PUTs the bytes with the photo headers and returns the receipt', async () => {
		let seen: { url: string; init: RequestInit } | null = null;
		const receipt = receiptOf(upload);
		const f = (async (url: string, init: RequestInit) => {
			seen = { url, init };
			return new Response(JSON.stringify(receipt), { status: 201 });
		}) as unknown as typeof fetch;
		expect(await outcome(f)).toEqual(receipt);
		expect(seen!.url).toBe(`/api/photos/${upload.id}`);
		expect(seen!.init.method).toBe('PUT');
		expect(seen!.init.body).toBe(upload.blob);
		expect(seen!.init.headers).toMatchObject({
			'content-type': 'image/jpeg',
			'x-photo-sha256': upload.sha256,
			'x-photo-visit': 'v1',
			'x-photo-kind': 'id_back',
			'x-photo-taken-at': upload.takenAt,
			'x-photo-position': '30.157100,120.257800,12'
		});
	});

	it('classifies answers: refusal with reason, signed out, retry', async () => {
		const kinds = async (f: () => Promise<Response>) => {
			const e = await outcome(f as unknown as typeof fetch);
			return e instanceof PhotoUploadError ? [e.kind, e.code] : e;
		};
		expect(await kinds(reply(422, { message: 'photo_err_hash_mismatch' }))).toEqual(['refused', 'photo_err_hash_mismatch']);
		expect(await kinds(reply(403, { message: 'photo_err_not_your_visit' }))).toEqual(['refused', 'photo_err_not_your_visit']);
		expect(await kinds(reply(400, { message: 'something else' }))).toEqual(['refused', 'photo_ui_err_refused']);
		expect(await kinds(reply(401, { message: 'x' }))).toEqual(['auth', 'sync_err_auth']);
		expect(await kinds(reply(503, undefined))).toEqual(['retry', 'sync_err_server']);
		expect(await kinds(reply(404, { message: 'Not Found' }))).toEqual(['retry', 'sync_err_server']);
		expect(await kinds(reply(200, { nope: true }))).toEqual(['retry', 'sync_err_malformed']);
		expect(
			await kinds(async () => {
				throw new TypeError('Failed to fetch');
			})
		).toEqual(['retry', 'sync_err_network']);
	});
});

export type { DoorstepDb };
