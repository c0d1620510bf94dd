import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { PHOTO_HEADERS } from '$lib/domain/photos';
import { LOCK_KEYS } from '$lib/server/db/advisory-lock';
import { handlePhotoPut } from '$lib/server/photos/http';
import { runJanitorOnce, sweepStorage } from '$lib/server/photos/janitor';
import type { PhotoStorage } from '$lib/server/photos/storage';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { actor, newRequestInput, seedDemo, sessionUserOf, today } from './fixtures';
import { jpegVariant, sha256, tempPhotoStorage } from './photo-fixtures';
import { startTestS3, type TestS3 } from './s3-server';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * Issue 12, point 4: an upload killed at any stage leaves nothing behind for long. The stages of
 * an upload (photos/upload.ts + the storage's put) and what a kill -9 at each one leaves:
 *   1. temporary copy complete, not yet renamed/copied → a complete temp upload;
 *   2. final object stored, row not yet committed       → an object no row points at;
 *   3. row committed                                     → a photo (must stay).
 * Stage 1 is an upload whose put never goes on past the temporary copy (its beforeCommit never
 * returns: what a dead process leaves on disk), stage 2 the storage's put without the row.
 * Then the janitor, on the folder and on S3 (s3rver), on SQLite and PostgreSQL, leaves exactly
 * the objects rows point at — but only once they are older than an hour.
 */
const HOUR = 60 * 60_000;

describe.each(DIALECTS)('storage janitor on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	const local = tempPhotoStorage('doorstep-janitor-');
	let s3: TestS3;
	let s3Storage: PhotoStorage;
	beforeAll(async () => {
		s3 = await startTestS3();
		const { S3PhotoStorage } = await import('$lib/server/photos/s3-storage');
		s3Storage = new S3PhotoStorage(s3.config);
	});
	afterAll(async () => {
		await s3?.stop();
	});
	let slot = 0;

	async function scheduledVisit() {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		slot++;
		const { visit } = await approveRequest(t.db, head, request.id, { date: addDays(today(), 3), start: `03:${String(slot * 2).padStart(2, '0')}`, end: `03:${String(slot * 2 + 1).padStart(2, '0')}`, leadStaffId: s1.id, secondStaffId: s2.id });
		return visit;
	}

	async function upload(storage: PhotoStorage, visitId: string, bytes: Uint8Array) {
		const user = await sessionUserOf(t.db, 'staff1');
		const headers = { 'content-type': 'image/jpeg', 'content-length': String(bytes.byteLength), [PHOTO_HEADERS.sha256]: sha256(bytes), [PHOTO_HEADERS.visitId]: visitId, [PHOTO_HEADERS.kind]: 'id_front', [PHOTO_HEADERS.takenAt]: '2026-12-07T08:30:00.000Z' };
		const response = await handlePhotoPut(t.db, storage, user, randomUUID(), new Request('http://localhost/api/photos/x', { method: 'PUT', headers, body: new Uint8Array(bytes) }));
		expect(response.status).toBe(201);
	}

	const collect = async (items: AsyncIterable<{ name: string }>) => {
		const names: string[] = [];
		for await (const i of items) names.push(i.name);
		return names.sort();
	};
	const referencedHashes = async () => (await t.db.selectFrom('photos').select('sha256').distinct().execute()).map((r) => r.sha256).sort();

	for (const kind of ['local', 's3'] as const) {
		it(`${kind}: after a kill at each upload stage, leaves exactly the objects rows point at`, async () => {
			const storage = kind === 'local' ? local : s3Storage;
			const visit = await scheduledVisit();
			const label = `${kind}-${dialect}`;
			// Stage 3: a whole upload. Stage 2: stored, row never committed. Stage 1: temp copy only.
			const kept = jpegVariant(`kept ${label}`);
			await upload(storage, visit.id, kept);
			const orphan = jpegVariant(`orphan ${label}`);
			await storage.put(sha256(orphan), orphan);
			const halfway = jpegVariant(`halfway ${label}`);
			let reachedTemp!: () => void;
			const tempWritten = new Promise<void>((resolve) => (reachedTemp = resolve));
			void storage.put(sha256(halfway), halfway, { beforeCommit: () => (reachedTemp(), new Promise<never>(() => {})) });
			await tempWritten;

			expect(await collect(storage.listTemps())).toHaveLength(1);
			expect(await collect(storage.listObjects())).toEqual([sha256(kept), sha256(orphan)].sort());

			// Now: everything is younger than an hour (an upload may be in flight) and stays.
			const log = vi.spyOn(console, 'log').mockImplementation(() => {});
			const young = await runJanitorOnce(t.db, storage);
			expect(young).toMatchObject({ tempsRemoved: 0, orphansRemoved: 0 });
			expect(await collect(storage.listObjects())).toEqual([sha256(kept), sha256(orphan)].sort());

			// Two hours later (the dead uploads never went on): only what rows point at is left.
			const later = await runJanitorOnce(t.db, storage, Date.now() + 2 * HOUR);
			const lines = log.mock.calls.map((c) => String(c[0]));
			log.mockRestore();
			expect(later).toMatchObject({ tempsRemoved: 1, orphansRemoved: 1, objectsKept: 1 });
			expect(await collect(storage.listTemps())).toEqual([]);
			expect(await collect(storage.listObjects())).toEqual(await referencedHashes());
			expect(await storage.get(sha256(kept))).not.toBeNull();
			// Counts only in the log; an audit entry with the counts.
			expect(lines.at(-1)).toBe('[doorstep] storage janitor: 1 temporary uploads and 1 unreferenced objects removed, 1 objects kept, 0 superseded removed');
			const audit = await listAuditForEntity(t.db, 'photo_storage', kind);
			expect(audit.at(-1)).toMatchObject({ action: 'storage_janitor', actorId: null, details: { tempsRemoved: 1, orphansRemoved: 1, objectsKept: 1 } });
			await t.db.deleteFrom('photos').execute(); // the next case starts from an empty storage
			await sweepStorage(t.db, storage, Date.now() + 2 * HOUR);
		});
	}

	it('storing bytes that are already there makes them young again (an upload of the same photo in flight)', async () => {
		const bytes = jpegVariant(`again ${dialect}`);
		await local.put(sha256(bytes), bytes);
		const old = new Date(Date.now() - 2 * HOUR);
		const fs = await import('node:fs/promises');
		await fs.utimes(local.pathOf(sha256(bytes)), old, old);
		await local.put(sha256(bytes), bytes); // a second upload of the same bytes, row not yet in
		expect(await sweepStorage(t.db, local)).toMatchObject({ orphansRemoved: 0 });
		expect(await local.has(sha256(bytes))).toBe(true);
		expect(await sweepStorage(t.db, local, Date.now() + 2 * HOUR)).toMatchObject({ orphansRemoved: 1 });
	});

	if (dialect === 'postgres') {
		it('runs in one process at a time: with the lock held elsewhere it does nothing', async () => {
			const junk = jpegVariant('locked out');
			await local.put(sha256(junk), junk);
			const held = await t.db.connection().execute(async (conn) => {
				await sql`select pg_advisory_lock(${sql.lit(LOCK_KEYS.janitor)})`.execute(conn);
				try {
					return await runJanitorOnce(t.db, local, Date.now() + 2 * HOUR);
				} finally {
					await sql`select pg_advisory_unlock(${sql.lit(LOCK_KEYS.janitor)})`.execute(conn);
				}
			});
			expect(held).toBeNull();
			expect(await local.has(sha256(junk))).toBe(true);
			const log = vi.spyOn(console, 'log').mockImplementation(() => {});
			expect(await runJanitorOnce(t.db, local, Date.now() + 2 * HOUR)).toMatchObject({ orphansRemoved: 1 });
			log.mockRestore();
		});
	}
});
