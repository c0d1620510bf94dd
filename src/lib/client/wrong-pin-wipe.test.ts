import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeUserDb, openUserDb, readSyncState, userDbName } from './db';
import { testKeys } from './crypto/test-keys';
import { SyncEngine } from './sync/engine';
import { FakeClock, makeVisit, MemoryServer } from './sync/testing/memory-transport';
import { startTravel } from './visit-actions';
import { savePhoto } from './photos/store';
import { readPhotoBytes } from './photos/bytes';
import { planWrongPinWipe, wipeAfterWrongPins } from './wrong-pin-wipe';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x01, 0x02, 0xff, 0xd9]);
const visitWithResident = (id: string) => makeVisit(id, { resident: { ...makeVisit(id).resident!, id: `r-${id}` } });
const photo = (visitId: string) => ({ visitId, kind: 'id_front' as const, blob: new Blob([JPEG], { type: 'image/jpeg' }), sha256: 'b'.repeat(64), bytes: JPEG.length, width: 1, height: 1, takenAt: '2026-11-27T01:30:00.000Z', position: null });

afterEach(() => closeUserDb());

describe('planWrongPinWipe', () => {
	it('keeps the visits with outbox entries or photos without receipt; photos with a receipt go with their visit', () => {
		const plan = planWrongPinWipe({
			visitIds: ['a', 'b', 'c', 'd'],
			draftIds: ['a', 'b', 'c'],
			residentIds: ['r1', 'r2'],
			outboxEntityIds: ['a', 'a'],
			photos: [
				{ id: 'p-a', visitId: 'a', hasReceipt: true },
				{ id: 'p-b', visitId: 'b', hasReceipt: true },
				{ id: 'p-c', visitId: 'c', hasReceipt: false }
			]
		});
		expect(plan).toEqual({ visits: ['b', 'd'], drafts: ['b'], residents: ['r1', 'r2'], photos: ['p-b'] });
	});
});

describe('wipeAfterWrongPins', () => {
	it('erases the server copies without the key; the unsynced work stays sealed and opens with the recovered key', async () => {
		const keys = await testKeys();
		let db = await openUserDb('wrong-pins', keys);
		const server = new MemoryServer(['v1', 'v2', 'v3', 'v4'].map(visitWithResident));
		await new SyncEngine({ db, transport: server, clock: new FakeClock(), random: () => 0.5 }).syncNow();
		expect((await readSyncState(db)).cursor).not.toBeNull();
		// v1: a step recorded (outbox); v2: a photo not yet uploaded; v3: a photo the server has; v4: nothing.
		await startTravel(db, 'v1');
		const waiting = await savePhoto(db, photo('v2'));
		const uploaded = await savePhoto(db, photo('v3'));
		await db.photos.update(uploaded.id, { status: 'uploaded', receipt: { sha256: 'b'.repeat(64), receivedAt: '2026-11-27T02:00:00.000Z' } as never });
		closeUserDb(); // locked: the store is closed

		const plan = await wipeAfterWrongPins(userDbName('wrong-pins'));
		expect(plan?.visits.sort()).toEqual(['v3', 'v4']);
		expect(plan?.residents.sort()).toEqual(['r-v1', 'r-v2', 'r-v3', 'r-v4']);
		expect(plan?.photos).toEqual([uploaded.id]);

		// After the online sign-in the same data key opens what is left, intact.
		db = await openUserDb('wrong-pins', keys);
		expect((await db.visits.toCollection().primaryKeys()).sort()).toEqual(['v1', 'v2']);
		expect(await db.residents.count()).toBe(0);
		expect(await db.outbox.where('entityId').equals('v1').count()).toBeGreaterThan(0);
		expect((await db.drafts.get('v1'))?.travelStartedAt).toBeTruthy();
		expect((await db.photos.toArray()).map((p) => p.id)).toEqual([waiting.id]);
		expect(new Uint8Array(await (await readPhotoBytes(db, waiting.id))!.arrayBuffer())).toEqual(JPEG);
		expect(await db.photoBytes.get(uploaded.id)).toBeUndefined();
		// The first pull after it is a full one, which brings back what is still assigned.
		expect((await readSyncState(db)).cursor).toBeNull();
	});

	it('does nothing when the tablet has no store for the user', async () => {
		expect(await wipeAfterWrongPins(userDbName('never-here'))).toBeNull();
	});
});
