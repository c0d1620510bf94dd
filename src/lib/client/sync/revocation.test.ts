import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { closeUserDb, deleteUserDb, openUserDb, readSyncState, userDbName, type DoorstepDb, type LocalPhoto } from '../db';
import { testKeys } from '../crypto/test-keys';
import { putPhotoWithBytes } from '../photos/bytes';
import { completeVisit, startTravel } from '../visit-actions';
import { SyncEngine } from './engine';
import { handOverState, revocationStep, visitsToDiscard, wipedReport, wipeIfHandedOver, deletePersonalCaches } from './revocation';
import { FakeClock, makeVisit, MemoryServer } from './testing/memory-transport';

const REVOKED = { reason: 'device_revoked' as const, revokedAt: '2026-11-27T03:00:00.000Z' };
const none = { revoked: true, pendingMutations: 0, rejectedWork: 0, refusedDiscards: 0, photosWaiting: 0, photosRefused: 0 };

describe('revocation decisions (pure)', () => {
	it('wipes only when revoked and nothing can still be sent', () => {
		expect(revocationStep({ ...none, revoked: false })).toBe('active');
		expect(revocationStep(none)).toBe('wipe');
		expect(revocationStep({ ...none, pendingMutations: 1 })).toBe('hand_over');
		expect(revocationStep({ ...none, rejectedWork: 1 })).toBe('hand_over');
		expect(revocationStep({ ...none, photosWaiting: 1 })).toBe('hand_over');
		// What the server refused cannot be handed over: it does not block the wipe, it is reported.
		expect(revocationStep({ ...none, refusedDiscards: 1, photosRefused: 2 })).toBe('wipe');
		expect(wipedReport({ ...none, refusedDiscards: 1, photosRefused: 2 })).toEqual({ unsyncedMutations: 1, unsyncedPhotos: 2 });
		expect(wipedReport(none)).toEqual({ unsyncedMutations: 0, unsyncedPhotos: 0 });
	});

	it('counts the outbox and photos, and names the visits whose refused work must be discarded', () => {
		const entries = [
			{ entityId: 'v1', type: 'visit.arrive' as const, status: 'rejected' as const },
			{ entityId: 'v1', type: 'visit.complete' as const, status: 'pending' as const },
			{ entityId: 'v2', type: 'sync.discard' as const, status: 'rejected' as const },
			{ entityId: 'v3', type: 'visit.start_travel' as const, status: 'pending' as const }
		];
		const photos = [{ status: 'queued' }, { status: 'uploading' }, { status: 'refused' }, { status: 'uploaded' }] as Pick<LocalPhoto, 'status'>[];
		expect(handOverState(true, entries, photos)).toEqual({ revoked: true, pendingMutations: 2, rejectedWork: 1, refusedDiscards: 1, photosWaiting: 2, photosRefused: 1 });
		expect(visitsToDiscard(entries)).toEqual(['v1']);
	});

	it('deletes only the caches that may reveal personal data', async () => {
		const names = new Set(['doorstep-tiles', 'doorstep-tiles-remote', 'workbox-precache-v2']);
		const storage = { keys: async () => [...names], delete: async (n: string) => names.delete(n) } as unknown as CacheStorage;
		expect(await deletePersonalCaches(storage)).toEqual(['doorstep-tiles', 'doorstep-tiles-remote']);
		expect([...names]).toEqual(['workbox-precache-v2']);
	});
});

let n = 0;
async function setup() {
	const db = await openUserDb(`revoked-${++n}-${Date.now()}`, await testKeys());
	const server = new MemoryServer([makeVisit('v1'), makeVisit('v2')]);
	const engine = new SyncEngine({ db, transport: server, clock: new FakeClock(), random: () => 0.5 });
	await engine.syncNow();
	return { db, server, engine };
}

const consent = { consentBy: 'resident' as const, name: '张三', relation: null, consentVersion: '2026-11-v1', consentHash: 'a'.repeat(64), signature: 'data:image/png;base64,iVBORw0KGgo=', signedAt: '2026-11-27T02:00:00.000Z' };

function photo(db: DoorstepDb, id: string, status: LocalPhoto['status']) {
	const row = { id, visitId: 'v1', kind: 'id_front' as const, sha256: 'x', bytes: 3, width: 1, height: 1, takenAt: '', position: null, status, attempts: 0, nextAttemptAt: 0, lastError: null, receipt: null };
	return putPhotoWithBytes(db, row, new Blob([new Uint8Array([0xff, 0xd8, 0xff])]));
}

const exists = async (db: DoorstepDb) => (await Dexie.getDatabaseNames()).includes(userDbName(db.userId));

afterEach(() => closeUserDb());

describe('a revoked tablet', () => {
	it('learns it from a push answer: the push is applied, the flag is stored, no pull follows and it never registers again', async () => {
		const { db, server, engine } = await setup();
		await startTravel(db, 'v1');
		await completeVisit(db, 'v1', { outcome: 'completed', note: '已办理', consent, confirmedBy: ['lead', 'second'] });
		server.revoked = REVOKED;
		const pulls = server.pullCalls;
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(server.log.map((m) => m.type)).toEqual(['visit.start_travel', 'visit.complete']);
		expect(server.pullCalls).toBe(pulls);
		expect(engine.status.get().revoked).toEqual(REVOKED);
		expect((await readSyncState(db)).revoked).toEqual(REVOKED);
		expect(server.devices).toHaveLength(1);

		// A restart continues from the stored flag: no pull.
		const again = new SyncEngine({ db, transport: server, clock: new FakeClock(), random: () => 0.5 });
		await again.start();
		await again.idle();
		again.stop();
		expect(again.status.get().revoked).toEqual(REVOKED);
		expect(server.pullCalls).toBe(pulls);
	});

	it('learns it from a pull (410): pushes what is left, stores the flag', async () => {
		const { db, server, engine } = await setup();
		server.revoked = REVOKED;
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect((await readSyncState(db)).revoked).toEqual(REVOKED);
		await startTravel(db, 'v2');
		const pulls = server.pullCalls;
		await engine.syncNow();
		expect(server.log.map((m) => m.entityId)).toEqual(['v2']);
		expect(server.pullCalls).toBe(pulls);
		expect(await db.outbox.count()).toBe(0);
	});

	it('discards refused work with an automatic sync.discard so the outbox empties', async () => {
		const { db, server, engine } = await setup();
		await startTravel(db, 'v1');
		await startTravel(db, 'v2');
		server.refuse = (m) => (m.entityId === 'v1' && m.type === 'visit.start_travel' ? 'err_transition_already_closed' : null);
		server.revoked = REVOKED;
		await engine.syncNow();
		expect(await db.outbox.count()).toBe(0);
		const discard = server.log.find((m) => m.type === 'sync.discard');
		expect(discard?.entityId).toBe('v1');
		expect(server.log.filter((m) => m.type === 'visit.start_travel').map((m) => m.entityId)).toEqual(['v2']);
	});

	it('wipes only when the outbox and the photo queue are empty, then reports it', async () => {
		const { db, server, engine } = await setup();
		server.revoked = REVOKED;
		await engine.syncNow();
		await photo(db, 'p1', 'queued');
		await photo(db, 'p2', 'refused');
		const deps = { db, deleteDb: deleteUserDb, reportWiped: server.reportWiped.bind(server), cacheStorage: undefined };
		expect(await wipeIfHandedOver(deps)).toBeNull();
		expect(await exists(db)).toBe(true);
		await db.photos.update('p1', { status: 'uploaded' });
		expect(await wipeIfHandedOver(deps)).toEqual({ unsyncedMutations: 0, unsyncedPhotos: 1 });
		expect(await exists(db)).toBe(false);
		expect(server.wipedReports).toEqual([{ report: { unsyncedMutations: 0, unsyncedPhotos: 1 }, deviceId: 'device-1' }]);
	});

	it('is never wiped while not revoked', async () => {
		const { db, server } = await setup();
		expect(await wipeIfHandedOver({ db, deleteDb: deleteUserDb, reportWiped: server.reportWiped.bind(server) })).toBeNull();
		expect(await exists(db)).toBe(true);
	});
});

describe('a revoked tablet and the device check', () => {
	it('does not register again when the server no longer knows its device (403)', async () => {
		const { db, server, engine } = await setup();
		server.revoked = REVOKED;
		await engine.syncNow();
		server.revoked = null;
		await startTravel(db, 'v1');
		const { TransportError } = await import('./transport');
		server.failures = [new TransportError('device', 'sync_err_device', 403)];
		expect(await engine.syncNow()).toEqual({ ok: false, error: 'sync_err_device' });
		expect(server.devices).toHaveLength(1);
		expect((await readSyncState(db)).deviceId).toBe('device-1');
	});
});
