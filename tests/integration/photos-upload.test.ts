/*
 * PUT/GET /api/photos/{id} through the HTTP handlers with a real `Request`, a real database
 * (SQLite and PostgreSQL) and the real folder storage: what is accepted is stored once and whole,
 * what is refused leaves no row, no file and no audit entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { PHOTO_HEADERS, PHOTO_LIMITS, type PhotoKind, type PhotoReceipt } from '$lib/domain/photos';
import type { SessionUser } from '$lib/server/auth/types';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { handlePhotoGet, handlePhotoPut } from '$lib/server/photos/http';
import { listVisitPhotos, manifestFor } from '$lib/server/photos/repo';
import type { PhotoStorage } from '$lib/server/photos/storage';
import { approveRequest, cancelRequest, submitRequest } from '$lib/server/workflow';
import { up as migrate004 } from '$lib/server/db/migrations/004_photos';
import { listServices, upsertService } from '$lib/server/repos/services';
import { actor, newRequestInput, seedDemo, today, sessionUserOf } from './fixtures';
import { TINY_JPEG, TINY_JPEG_SIZE, jpegVariant, sha256, tempPhotoStorage } from './photo-fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

let slot = 0;
const nearSlot = (leadStaffId: string, secondStaffId: string) => {
	slot++;
	const minute = (n: number) => `04:${String(n).padStart(2, '0')}`;
	return { date: addDays(today(), 2 + Math.floor(slot / 29)), start: minute((slot % 29) * 2), end: minute((slot % 29) * 2 + 1), leadStaffId, secondStaffId };
};

describe.each(DIALECTS)('photo upload on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	const storage = tempPhotoStorage('doorstep-photo-upload-');
	const root = storage.root;

	const sessionUser = (username: string): Promise<SessionUser> => sessionUserOf(t.db, username);

	/** An approved request of outlet 1 whose visit is staff1 (lead) + staff2 (second). */
	async function scheduledVisit() {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, request.id, nearSlot(s1.id, s2.id));
		return { request, visit, head };
	}

	interface PutOptions {
		id?: string;
		sha?: string;
		kind?: string;
		takenAt?: string;
		position?: string | null;
		contentLength?: number | null;
		body?: ReadableStream<Uint8Array>;
		store?: PhotoStorage;
	}

	async function put(user: SessionUser, visitId: string, bytes: Uint8Array, o: PutOptions = {}) {
		const headers: Record<string, string> = {
			'content-type': 'image/jpeg',
			[PHOTO_HEADERS.sha256]: o.sha ?? sha256(bytes),
			[PHOTO_HEADERS.visitId]: visitId,
			[PHOTO_HEADERS.kind]: o.kind ?? 'id_front',
			[PHOTO_HEADERS.takenAt]: o.takenAt ?? '2026-11-27T08:30:00.000Z'
		};
		if (o.position !== null) headers[PHOTO_HEADERS.position] = o.position ?? '30.1612,120.2655,12';
		const length = o.contentLength === undefined ? bytes.byteLength : o.contentLength;
		if (length !== null) headers['content-length'] = String(length);
		const init: RequestInit & { duplex?: 'half' } = o.body ? { method: 'PUT', headers, body: o.body, duplex: 'half' } : { method: 'PUT', headers, body: new Uint8Array(bytes) };
		const response = await handlePhotoPut(t.db, o.store ?? storage, user, o.id ?? randomUUID(), new Request('http://localhost/api/photos/x', init));
		return { status: response.status, body: (await response.json()) as PhotoReceipt & { message?: string } };
	}

	const get = (user: SessionUser, id: string) => handlePhotoGet(t.db, storage, user, id);

	/** Everything an upload can leave behind. */
	async function footprint() {
		const walk = (dir: string): string[] =>
			fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];
		const rows = await t.db.selectFrom('photos').select(['id', 'sha256']).orderBy('id').execute();
		const audit = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'photo_upload').execute();
		return { rows, files: walk(root).sort(), audit: audit.length };
	}

	/** Expects a refusal with this status and code and nothing stored. */
	async function expectRefused(work: () => Promise<{ status: number; body: { message?: string } }>, status: number, code: string) {
		const before = await footprint();
		const answer = await work();
		expect(answer, code).toEqual({ status, body: { message: `photo_err_${code}` } });
		expect(await footprint()).toEqual(before);
	}

	it('stores an accepted photo once and whole, with a receipt, audit and scoped reading', async () => {
		const { visit } = await scheduledVisit();
		const [s1, s2, s3, s4, head1, head2, admin, worker] = await Promise.all(['staff1', 'staff2', 'staff3', 'staff4', 'head1', 'head2', 'admin', 'worker1'].map(sessionUser));
		const bytes = jpegVariant('accepted');
		const id = randomUUID();
		const first = await put(s1, visit.id, bytes, { id, kind: 'id_back' });
		expect(first.status).toBe(201);
		expect(first.body).toEqual({ id, sha256: sha256(bytes), bytes: bytes.byteLength, visitId: visit.id, receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

		// The stored bytes, read back and hashed again, are the ones the tablet hashed.
		const stored = await storage.get(sha256(bytes));
		expect(sha256(stored!)).toBe(sha256(bytes));
		expect(fs.existsSync(storage.tmpDir) ? fs.readdirSync(storage.tmpDir) : []).toEqual([]);
		const [row] = await listVisitPhotos(t.db, visit.id);
		expect(row).toMatchObject({ id, kind: 'id_back', width: TINY_JPEG_SIZE.width, height: TINY_JPEG_SIZE.height, takenAt: '2026-11-27T08:30:00.000Z', position: { lat: 30.1612, lng: 120.2655, accuracyM: 12 }, uploadedBy: s1.displayName, receivedAt: first.body.receivedAt });

		const audit = (await listAuditForEntity(t.db, 'visit', visit.id)).filter((a) => a.action === 'photo_upload');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actorId: s1.id, details: { photoId: id, kind: 'id_back', bytes: bytes.byteLength, sha256: sha256(bytes) } });
		expect(JSON.stringify(audit[0].details)).not.toMatch(/120\.26|30\.16|base64/);

		// Readers: the visit's team, the outlet's head, the admin. Anyone else, the outlet's other
		// staff too: as if unknown (issue 11).
		for (const reader of [s1, s2, head1, admin]) {
			const response = await get(reader, id);
			expect(response.status, reader.username).toBe(200);
			expect(response.headers.get('content-type')).toBe('image/jpeg');
			expect(response.headers.get('cache-control')).toBe('no-store');
			expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
		}
		// Bytes damaged in storage are never served as evidence.
		const file = storage.pathOf(sha256(bytes));
		const original = fs.readFileSync(file);
		fs.writeFileSync(file, Buffer.concat([original.subarray(0, 100), Buffer.alloc(original.length - 100)]));
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect((await get(admin, id)).status).toBe(404);
		expect(errors.mock.calls[0][0]).toMatch(/damaged/);
		errors.mockRestore();
		fs.writeFileSync(file, original);

		const unknown = await get(admin, randomUUID());
		expect(unknown.status).toBe(404);
		const unknownBody = await unknown.json();
		for (const outsider of [s3, s4, head2, worker]) {
			const response = await get(outsider, id);
			expect(response.status, outsider.username).toBe(404);
			expect(await response.json()).toEqual(unknownBody);
		}
		// Each refused look at an existing photo is in the audit log (an unknown id is not).
		const refused = (await listAuditForEntity(t.db, 'visit', visit.id)).filter((a) => a.action === 'photo_read_refused');
		expect(refused.map((a) => a.actorId).sort()).toEqual([s3, s4, head2, worker].map((u) => u.id).sort());
		for (const entry of refused) expect(entry.details).toMatchObject({ photoId: id });
	});

	it('serves the photos of a visit to its staff only while the visit is theirs', async () => {
		const { visit } = await scheduledVisit();
		const [s1, s2, s3] = await Promise.all(['staff1', 'staff2', 'staff3'].map(sessionUser));
		const id = randomUUID();
		expect((await put(s1, visit.id, jpegVariant('reassigned'), { id })).status).toBe(201);
		expect((await get(s2, id)).status).toBe(200);
		expect((await get(s3, id)).status).toBe(404);
		// The head gives the second place on the team to staff3.
		await t.db.updateTable('visits').set({ second_staff_id: s3.id }).where('id', '=', visit.id).execute();
		expect((await get(s2, id)).status).toBe(404);
		expect((await get(s3, id)).status).toBe(200);
		expect((await get(s1, id)).status).toBe(200);
	});

	it('answers a replay with the same receipt and stores nothing again', async () => {
		const { visit } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const bytes = jpegVariant('replayed');
		const id = randomUUID();
		const first = await put(s1, visit.id, bytes, { id });
		const before = await footprint();
		const again = await put(s1, visit.id, bytes, { id });
		expect(again).toEqual({ status: 200, body: first.body });
		expect(await footprint()).toEqual(before);

		// Concurrent sends of one new photo (a retry racing a slow first attempt): one row.
		const racing = randomUUID();
		const other = jpegVariant('racing');
		const answers = await Promise.all([1, 2, 3].map(() => put(s1, visit.id, other, { id: racing })));
		expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
		expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
		expect((await footprint()).rows.filter((r) => r.id === racing)).toHaveLength(1);
	});

	it('keeps the same bytes once when two photos carry them', async () => {
		const { visit } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const bytes = jpegVariant('twin');
		const before = await footprint();
		expect((await put(s1, visit.id, bytes, { kind: 'id_front' })).status).toBe(201);
		expect((await put(s1, visit.id, bytes, { kind: 'other' })).status).toBe(201);
		const after = await footprint();
		expect(after.rows.length - before.rows.length).toBe(2);
		expect(after.files.length - before.files.length).toBe(1);
	});

	it('refuses bad ids, headers and bodies, storing nothing', async () => {
		const { visit } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const good = jpegVariant('refusals');
		const text = new TextEncoder().encode('<html>not a photo</html>');
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
		const truncated = good.subarray(0, Math.floor(good.length * 0.6));
		const tooLarge = jpegVariant('too large', PHOTO_LIMITS.maxUploadBytes + 1);

		await expectRefused(() => put(s1, visit.id, good, { id: 'not-a-uuid' }), 400, 'bad_id');
		await expectRefused(() => put(s1, visit.id, good, { sha: 'abc' }), 400, 'bad_hash');
		await expectRefused(() => put(s1, visit.id, good, { kind: 'selfie' }), 400, 'bad_kind');
		await expectRefused(() => put(s1, visit.id, good, { takenAt: 'yesterday' }), 400, 'bad_metadata');
		await expectRefused(() => put(s1, visit.id, good, { position: '30.1,999,5' }), 400, 'bad_metadata');
		await expectRefused(() => put(s1, visit.id, good, { sha: sha256(TINY_JPEG) }), 422, 'hash_mismatch');
		await expectRefused(() => put(s1, visit.id, text), 415, 'not_jpeg');
		await expectRefused(() => put(s1, visit.id, png), 415, 'not_jpeg');
		await expectRefused(() => put(s1, visit.id, truncated), 415, 'not_jpeg');
		await expectRefused(() => put(s1, visit.id, new Uint8Array(0)), 400, 'empty');
		// Too large: by its declared length (refused before reading), and while streaming
		// when no length is declared.
		await expectRefused(() => put(s1, visit.id, tooLarge), 413, 'too_large');
		const stream = (bytes: Uint8Array, failAfter?: number) =>
			new ReadableStream<Uint8Array>({
				start(controller) {
					for (let i = 0; i < bytes.length; i += 64 * 1024) {
						if (failAfter !== undefined && i >= failAfter) return controller.error(new Error('connection reset'));
						controller.enqueue(bytes.slice(i, i + 64 * 1024));
					}
					controller.close();
				}
			});
		await expectRefused(() => put(s1, visit.id, tooLarge, { contentLength: null, body: stream(tooLarge) }), 413, 'too_large');
		// The connection breaks off half-way through a valid photo.
		const big = jpegVariant('broken off', 400_000);
		await expectRefused(() => put(s1, visit.id, big, { body: stream(big, 200_000) }), 400, 'empty');
		// The same photo, whole, is then accepted.
		expect((await put(s1, visit.id, big, { body: stream(big) })).status).toBe(201);
	});

	it('refuses uploads outside the team: another outlet, another user, unknown visit', async () => {
		const { visit } = await scheduledVisit();
		const [s1, s2, s3, s4, head1, admin] = await Promise.all(['staff1', 'staff2', 'staff3', 'staff4', 'head1', 'admin'].map(sessionUser));
		const bytes = jpegVariant('scope');
		await expectRefused(() => put(s4, visit.id, bytes), 403, 'not_your_visit'); // another outlet's staff
		await expectRefused(() => put(s3, visit.id, bytes), 403, 'not_your_visit'); // same outlet, not in the team
		await expectRefused(() => put(head1, visit.id, bytes), 403, 'not_your_visit');
		await expectRefused(() => put(admin, visit.id, bytes), 403, 'not_your_visit');
		await expectRefused(() => put(s1, randomUUID(), bytes), 403, 'not_your_visit');
		// The second team member may upload their own photos…
		expect((await put(s2, visit.id, jpegVariant('second member'))).status).toBe(201);
		// …but not under an id another user's tablet already used.
		const id = randomUUID();
		expect((await put(s1, visit.id, bytes, { id })).status).toBe(201);
		await expectRefused(() => put(s2, visit.id, bytes, { id }), 403, 'not_your_visit');
	});

	it('refuses a replay with a different body and keeps the first photo', async () => {
		const { visit } = await scheduledVisit();
		const other = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const first = jpegVariant('original');
		const second = jpegVariant('impostor');
		const id = randomUUID();
		expect((await put(s1, visit.id, first, { id })).status).toBe(201);
		await expectRefused(() => put(s1, visit.id, second, { id }), 409, 'id_taken');
		await expectRefused(() => put(s1, visit.id, second, { id, sha: sha256(first) }), 422, 'hash_mismatch');
		await expectRefused(() => put(s1, other.visit.id, first, { id }), 409, 'id_taken');
		const response = await get(s1, id);
		expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(first));
	});

	it('refuses photos for a cancelled visit but still answers replays of stored ones', async () => {
		const { request, visit, head } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const stored = jpegVariant('before cancel');
		const id = randomUUID();
		const receipt = await put(s1, visit.id, stored, { id });
		await cancelRequest(t.db, head, request.id, { reason: '客户已到网点办理' });
		await expectRefused(() => put(s1, visit.id, jpegVariant('after cancel')), 409, 'visit_closed');
		expect(await put(s1, visit.id, stored, { id })).toEqual({ status: 200, body: receipt.body });
	});

	it('refuses more photos than a visit may have', async () => {
		const { visit } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		for (let i = 0; i < PHOTO_LIMITS.maxPerVisit; i++) expect((await put(s1, visit.id, jpegVariant(`many ${i}`), { kind: 'other' })).status).toBe(201);
		await expectRefused(() => put(s1, visit.id, jpegVariant('one too many')), 409, 'too_many');
	});

	it('writes no row when the storage fails: a photo row always has its bytes', async () => {
		const { visit } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const bytes = jpegVariant('storage down');
		const broken: PhotoStorage = {
			kind: 'local',
			has: (sha) => storage.has(sha),
			get: (sha) => storage.get(sha),
			remove: (sha) => storage.remove(sha),
			listObjects: () => storage.listObjects(),
			listTemps: () => storage.listTemps(),
			removeTemp: (name) => storage.removeTemp(name),
			modifiedAt: (sha) => storage.modifiedAt(sha),
			put: (sha, b) => storage.put(sha, b, { beforeCommit: () => Promise.reject(new Error('disk full')) })
		};
		const before = await footprint();
		const id = randomUUID();
		await expect(put(s1, visit.id, bytes, { id, store: broken })).rejects.toThrow('disk full');
		expect(await footprint()).toEqual(before);
		expect((await put(s1, visit.id, bytes, { id })).status).toBe(201);
	});

	it('migration 004 gives existing catalogues the default required photos, and runs again safely', async () => {
		await t.db.updateTable('services').set({ required_photos: '[]' }).execute();
		await t.db.updateTable('services').set({ required_photos: '["other"]' }).where('code', '=', 'other').execute(); // edited: kept
		await migrate004(t.db);
		await migrate004(t.db);
		const required = new Map((await listServices(t.db)).map((s) => [s.code, s.requiredPhotos]));
		expect(required.get('pin_reset')).toEqual(['id_front', 'id_back', 'staff_with_customer', 'signed_document']);
		expect(required.get('ss_card_activation')).toEqual(['id_front', 'id_back', 'staff_with_customer']);
		expect(required.get('other')).toEqual(['other']);
		// A write without requirements: a default code gets the defaults, a new code none, an
		// existing entry keeps its own.
		await upsertService(t.db, { code: 'photo_test_svc', nameZh: '测试', nameEn: 'Test', durationMin: 5, active: false, sort: 999 });
		await upsertService(t.db, { code: 'other', nameZh: '其他', nameEn: 'Other', durationMin: 25, active: true, sort: 70 });
		const after = new Map((await listServices(t.db)).map((s) => [s.code, s.requiredPhotos]));
		expect(after.get('photo_test_svc')).toEqual([]);
		expect(after.get('other')).toEqual(['other']);
		await upsertService(t.db, { code: 'other', nameZh: '其他', nameEn: 'Other', durationMin: 20, active: true, sort: 70, requiredPhotos: ['id_front', 'id_back', 'staff_with_customer'] });
		expect((await listServices(t.db)).find((s) => s.code === 'other')!.requiredPhotos).toEqual(['id_front', 'id_back', 'staff_with_customer']);
	});

	it('lists a visit’s photos and its manifest for review', async () => {
		const { visit } = await scheduledVisit();
		const s1 = await sessionUser('staff1');
		const kinds: PhotoKind[] = ['staff_with_customer', 'id_front'];
		const taken = ['2026-11-27T08:40:00.000Z', '2026-11-27T08:35:00.000Z'];
		for (const [i, kind] of kinds.entries()) await put(s1, visit.id, jpegVariant(`review ${i}`), { kind, takenAt: taken[i], position: null });
		const photos = await listVisitPhotos(t.db, visit.id);
		expect(photos.map((p) => [p.kind, p.takenAt, p.position])).toEqual([
			['id_front', taken[1], null],
			['staff_with_customer', taken[0], null]
		]);
		expect(await manifestFor(t.db, visit.id)).toEqual([]); // not completed yet
	});
});
