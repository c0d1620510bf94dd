import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import { closeUserDb, openUserDb, type DoorstepDb, type LocalPhoto } from '../db';
import { testKeys } from '../crypto/test-keys';
import { readPhotoBytes } from './bytes';
import { applyPushResults, nextBatch } from '../sync/outbox';
import { makeVisit } from '../sync/testing/memory-transport';
import { completeVisit, PhotosMissingError, recordArrival } from '../visit-actions';
import { applyRetention, mayDropBlob } from './retention';
import { deletePhoto, discardRefusedPhoto, PhotoStoreError, savePhoto, visitPhotos, type NewPhoto } from './store';

const consent = { consentBy: 'resident' as const, name: '张三', relation: null, consentVersion: '2026-11-v1', consentHash: 'a'.repeat(64), signature: 'data:image/png;base64,iVBORw0KGgo=', signedAt: '2026-11-27T02:00:00.000Z' };
const completion = (outcome: 'completed' | 'not_home' = 'completed') => ({ outcome, note: null, consent: outcome === 'completed' ? consent : null, confirmedBy: ['lead', 'second'] });

let user = 0;
/** A device with visit v1 (PIN reset: ID front and back, staff with customer, signed document). */
async function setup(): Promise<DoorstepDb> {
	const db = await openUserDb(`retention-${++user}-${Date.now()}`, await testKeys());
	const { resident: _r, ...visit } = makeVisit('v1');
	await db.visits.put({ ...visit, residentId: null, withdrawnAt: null, receivedAt: '2026-11-27T01:00:00.000Z' });
	const pin = DEFAULT_SERVICES.find((s) => s.code === 'pin_reset')!;
	await db.services.put({ code: pin.code, nameZh: pin.nameZh, nameEn: pin.nameEn, durationMin: pin.durationMin, checklist: pin.checklist, requiredPhotos: pin.requiredPhotos });
	return db;
}

let seq = 0;
const newPhoto = (kind: NewPhoto['kind'], extra: Partial<NewPhoto> = {}): NewPhoto => ({
	visitId: 'v1',
	kind,
	blob: new Blob([new Uint8Array(64)], { type: 'image/jpeg' }),
	sha256: String(++seq).padStart(64, '0'),
	bytes: 64,
	width: 8,
	height: 8,
	takenAt: `2026-11-27T01:0${seq % 10}:00.000Z`,
	position: { lat: 30.1, lng: 120.2, accuracyM: 10 },
	...extra
});

const receive = (db: DoorstepDb, p: LocalPhoto) =>
	db.photos.update(p.id, { status: 'uploaded', receipt: { id: p.id, sha256: p.sha256, bytes: p.bytes, visitId: p.visitId, receivedAt: '2026-11-27T03:00:00.000Z' } });

/** The server applies every pending mutation (as a push would). */
async function pushAll(db: DoorstepDb) {
	const batch = await nextBatch(db, 'device-1');
	await applyPushResults(db, batch, batch.map((m) => ({ id: m.id, status: 'applied' as const, visit: null })));
}

afterEach(() => closeUserDb());

describe('capture rules on the tablet', () => {
	it('refuses completion while a required kind is missing, and sends the manifest when complete', async () => {
		const db = await setup();
		const front = await savePhoto(db, newPhoto('id_front'));
		await expect(completeVisit(db, 'v1', completion())).rejects.toBeInstanceOf(PhotosMissingError);
		await expect(completeVisit(db, 'v1', completion())).rejects.toMatchObject({ kinds: ['id_back', 'staff_with_customer', 'signed_document'] });
		expect(await db.outbox.count()).toBe(0); // nothing half-saved
		expect((await db.drafts.get('v1'))?.completedAt ?? null).toBeNull();

		await savePhoto(db, newPhoto('id_back'));
		await savePhoto(db, newPhoto('signed_document'));
		const team = await savePhoto(db, newPhoto('staff_with_customer'));
		// A retake replaces the photo in one step.
		const retaken = await savePhoto(db, newPhoto('staff_with_customer', { replaces: team.id }));
		expect((await visitPhotos(db, 'v1')).map((p) => p.id)).not.toContain(team.id);
		await completeVisit(db, 'v1', completion());
		const [entry] = await db.outbox.toArray();
		const manifest = (entry.payload as { photos: { id: string; kind: string; sha256: string }[] }).photos;
		expect(manifest.map((p) => p.kind).sort()).toEqual(['id_back', 'id_front', 'signed_document', 'staff_with_customer']);
		expect(manifest.find((p) => p.id === retaken.id)?.sha256).toBe(retaken.sha256);
		expect(manifest.find((p) => p.id === front.id)).toEqual({ id: front.id, kind: 'id_front', sha256: front.sha256, bytes: 64, takenAt: front.takenAt, position: front.position });

		// Finished: the photos are evidence now.
		await expect(savePhoto(db, newPhoto('other'))).rejects.toMatchObject({ code: 'photo_ui_err_locked' });
		await expect(deletePhoto(db, front.id)).rejects.toBeInstanceOf(PhotoStoreError);
		expect(await db.photos.count()).toBe(4);
	});

	it('deletes a finished visit\'s photo only when the server refused it, bytes included', async () => {
		const db = await setup();
		const front = await savePhoto(db, newPhoto('id_front'));
		await completeVisit(db, 'v1', completion('not_home'));
		expect(await discardRefusedPhoto(db, front.id)).toBe(false); // queued: it waits for upload
		await db.photos.update(front.id, { status: 'refused', lastError: 'photo_err_visit_closed' });
		expect(await discardRefusedPhoto(db, front.id)).toBe(true);
		expect(await db.photos.get(front.id)).toBeUndefined();
		expect(await readPhotoBytes(db, front.id)).toBeNull();
	});

	it('lets a visit the resident was not home for finish without photos (with whatever was taken)', async () => {
		const db = await setup();
		await completeVisit(db, 'v1', completion('not_home'));
		const [entry] = await db.outbox.toArray();
		expect((entry.payload as { photos: unknown[] }).photos).toEqual([]);
	});

	it('deletes before completion, and limits photos per visit', async () => {
		const db = await setup();
		const p = await savePhoto(db, newPhoto('other'));
		await deletePhoto(db, p.id);
		expect(await db.photos.count()).toBe(0);
		for (let i = 0; i < 20; i++) await savePhoto(db, newPhoto('other'));
		await expect(savePhoto(db, newPhoto('other'))).rejects.toMatchObject({ code: 'photo_ui_err_too_many' });
	});
});

describe('the deletion rule', () => {
	const row = (overrides: Partial<LocalPhoto> = {}): LocalPhoto => ({
		id: 'p1',
		visitId: 'v1',
		kind: 'id_front',
		hasBytes: true,
		sha256: 'a'.repeat(64),
		bytes: 1,
		width: 1,
		height: 1,
		takenAt: '2026-11-27T01:00:00.000Z',
		position: null,
		status: 'uploaded',
		attempts: 1,
		nextAttemptAt: 0,
		lastError: null,
		receipt: { id: 'p1', sha256: 'a'.repeat(64), bytes: 1, visitId: 'v1', receivedAt: '2026-11-27T03:00:00.000Z' },
		...overrides
	});
	const done = { completedAt: '2026-11-27T02:00:00.000Z' } as never;

	it('needs a matching receipt AND the visit completed with no outbox entry left', () => {
		expect(mayDropBlob(row(), done, [])).toBe(true);
		expect(mayDropBlob(row({ receipt: null }), done, [])).toBe(false);
		expect(mayDropBlob(row({ receipt: { ...row().receipt!, sha256: 'b'.repeat(64) } }), done, [])).toBe(false);
		expect(mayDropBlob(row(), { completedAt: null } as never, [])).toBe(false);
		expect(mayDropBlob(row(), undefined, [])).toBe(false);
		expect(mayDropBlob(row(), done, [{ entityId: 'v1' }])).toBe(false); // completion pending or rejected
		expect(mayDropBlob(row(), done, [{ entityId: 'v2' }])).toBe(true); // another visit's work does not matter
		expect(mayDropBlob(row({ hasBytes: false }), done, [])).toBe(false);
	});

	it('drops the bytes only after the receipt and the synced completion, and keeps a row saying "uploaded"', async () => {
		const db = await setup();
		await recordArrival(db, 'v1', { lat: 30.1, lng: 120.2, accuracyM: 10, distanceM: 5 });
		const photos = [await savePhoto(db, newPhoto('id_front')), await savePhoto(db, newPhoto('id_back')), await savePhoto(db, newPhoto('staff_with_customer')), await savePhoto(db, newPhoto('signed_document'))];

		// Uploaded before the visit is finished: kept.
		await receive(db, photos[0]);
		expect(await applyRetention(db)).toBe(0);

		// Finished, but the completion is still in the outbox: kept.
		await completeVisit(db, 'v1', completion());
		await receive(db, photos[1]);
		expect(await applyRetention(db)).toBe(0);

		// The server rejected the completion: still kept (the entry stays, marked rejected).
		const batch = await nextBatch(db, 'device-1');
		await applyPushResults(db, batch, batch.map((m) => ({ id: m.id, status: 'rejected' as const, reason: 'sync_err_stale', visit: null })));
		expect(await applyRetention(db)).toBe(0);

		// The rejection is resolved and everything applied: the received photos go, the others
		// (no receipt yet) stay whatever happens.
		await db.outbox.toCollection().modify({ status: 'pending', rejection: null });
		await pushAll(db);
		expect(await db.outbox.count()).toBe(0);
		expect(await applyRetention(db)).toBe(2);
		const after = await visitPhotos(db, 'v1');
		expect(after.filter((p) => !p.hasBytes).map((p) => p.id).sort()).toEqual([photos[0].id, photos[1].id].sort());
		expect(await readPhotoBytes(db, photos[0].id)).toBeNull();
		expect(await readPhotoBytes(db, photos[2].id)).toBeInstanceOf(Blob);
		expect(await readPhotoBytes(db, photos[3].id)).toBeInstanceOf(Blob);
		expect(after.filter((p) => !p.hasBytes).every((p) => p.status === 'uploaded' && p.receipt)).toBe(true);

		await receive(db, photos[2]);
		expect(await applyRetention(db)).toBe(1);
		expect(await applyRetention(db)).toBe(0);
		expect(await db.photos.count()).toBe(4); // the rows stay: the visit still shows "uploaded"
	});
});
