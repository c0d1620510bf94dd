import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeUserDb, openUserDb, type DoorstepDb } from '../db';
import { testKeys } from '../crypto/test-keys';
import { completeVisit, recordArrival, setChecklist, startTravel } from '../visit-actions';
import { backoffDelay } from './backoff';
import { SyncEngine } from './engine';
import { FakeClock, makeVisit, MemoryServer } from './testing/memory-transport';
import { applyPull } from './pull-apply';
import { TransportError } from './transport';

let userCounter = 0;
async function setup(visits = [makeVisit('v1'), makeVisit('v2')]) {
	const db = await openUserDb(`user-${++userCounter}-${Date.now()}`, await testKeys());
	const server = new MemoryServer(visits);
	const clock = new FakeClock();
	const engine = new SyncEngine({ db, transport: server, clock, random: () => 0.5 });
	await engine.syncNow(); // first pull: the day's visits arrive
	return { db, server, clock, engine };
}

const consent = { consentBy: 'resident' as const, name: '张三', relation: null, consentVersion: '2026-11-v1', consentHash: 'a'.repeat(64), signature: 'data:image/png;base64,iVBORw0KGgo=', signedAt: '2026-11-27T02:00:00.000Z' };
const complete = (db: DoorstepDb, visitId: string) => completeVisit(db, visitId, { outcome: 'completed', note: '已办理', consent, confirmedBy: ['lead', 'second'] });

afterEach(() => closeUserDb());

describe('sync engine', () => {
	it('keeps the administrator\'s lock time from each pull, an out-of-range value as the default', async () => {
		const { db, server, engine } = await setup();
		expect((await db.syncState.get('sync'))?.lockIdleMinutes).toBe(5);
		server.lockIdleMinutes = 2;
		await engine.syncNow();
		expect((await db.syncState.get('sync'))?.lockIdleMinutes).toBe(2);
		server.lockIdleMinutes = 999;
		await engine.syncNow();
		expect((await db.syncState.get('sync'))?.lockIdleMinutes).toBe(5);
	});

	it('pulls the visits with residents and catalogue, then pushes in order and empties the outbox', async () => {
		const { db, server, engine } = await setup();
		expect(await db.visits.count()).toBe(2);
		expect(await db.residents.count()).toBe(2);
		expect(await db.services.count()).toBe(1);

		await startTravel(db, 'v1');
		await recordArrival(db, 'v2', { lat: 30.1, lng: 120.2, accuracyM: 12, distanceM: 30 });
		await setChecklist(db, 'v1', 'pin_reset', [1, 0]);
		await complete(db, 'v1');
		const queued = (await db.outbox.orderBy('seq').toArray()).map((e) => e.id);
		await engine.changed();
		expect(engine.status.get().pending).toBe(4);

		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(server.log.map((m) => m.id)).toEqual(queued);
		expect(server.log.map((m) => m.type)).toEqual(['visit.start_travel', 'visit.arrive', 'visit.checklist', 'visit.complete']);
		expect(server.log.every((m) => m.deviceId === 'device-1' && m.baseVersion === 1)).toBe(true);
		expect(await db.outbox.count()).toBe(0);
		// The applied completion's answer refreshed the visit: later work builds on version 2.
		expect(await db.visits.get('v1')).toMatchObject({ status: 'visited', version: 2 });
		expect(engine.status.get()).toMatchObject({ pending: 0, syncing: false, lastError: null, conflicts: [] });
		expect(engine.status.get().lastSuccessAt).not.toBeNull();
	});

	it('replays a batch whose answer was lost: the server applies each mutation once', async () => {
		const { db, server, engine } = await setup();
		await startTravel(db, 'v1');
		await startTravel(db, 'v2');
		server.failAfter = 2; // both applied, then the connection drops before the answer
		expect(await engine.syncNow()).toEqual({ ok: false, error: 'sync_err_network' });
		expect(await db.outbox.count()).toBe(2);

		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(server.log).toHaveLength(2);
		expect(server.pushCalls.at(-1)!.map((m) => m.id)).toEqual(server.log.map((m) => m.id));
		expect(await db.outbox.count()).toBe(0);
	});

	it('fails in the middle of a batch: what was applied is answered on retry, the rest is sent again', async () => {
		const { db, server, engine } = await setup();
		for (let i = 0; i < 5; i++) await setChecklist(db, 'v1', 'pin_reset', [i]);
		server.failAfter = 2;
		await engine.syncNow();
		expect(server.log).toHaveLength(2);
		expect(await db.outbox.count()).toBe(5);
		await engine.syncNow();
		expect(server.log).toHaveLength(5);
		expect(new Set(server.log.map((m) => m.id)).size).toBe(5);
		expect(await db.outbox.count()).toBe(0);

		// A server that stops early answers part of the batch: the answered leave, the rest go
		// in the next batch.
		for (let i = 0; i < 3; i++) await setChecklist(db, 'v2', 'pin_reset', [i]);
		const calls = server.pushCalls.length;
		server.answerOnly = 1;
		await engine.syncNow();
		expect(server.pushCalls.slice(calls).map((batch) => batch.length)).toEqual([3, 2]);
		expect(server.log).toHaveLength(8);
		expect(await db.outbox.count()).toBe(0);
	});

	it('surfaces a rejection as a conflict, holds the visit’s later work, and never drops it', async () => {
		const { db, server, engine } = await setup();
		server.refuse = (m) => (m.type === 'visit.arrive' && m.entityId === 'v1' ? 'err_transition_already_closed' : null);
		server.visits.set('v1', makeVisit('v1', { status: 'cancelled', requestStatus: 'cancelled', version: 2 }));
		await recordArrival(db, 'v1', { lat: 1, lng: 2, accuracyM: 5, distanceM: null });
		await complete(db, 'v1');
		await startTravel(db, 'v2');
		await engine.syncNow();

		expect(server.log.map((m) => m.entityId)).toEqual(['v2']); // v1's completion was held back
		const [conflict] = engine.status.get().conflicts;
		expect(conflict).toMatchObject({ visitId: 'v1', kind: 'rejected', reason: 'err_transition_already_closed', canRetry: false });
		expect(conflict.server).toMatchObject({ status: 'cancelled', version: 2 });
		expect(conflict.device.visit).toMatchObject({ status: 'scheduled', version: 1 });
		expect(conflict.device.draft).toMatchObject({ outcome: 'completed', step: 'completed' });
		expect(conflict.device.mutations.map((m) => [m.type, m.status])).toEqual([['visit.arrive', 'rejected'], ['visit.complete', 'pending']]);

		await engine.syncNow(); // still there after more syncs
		expect(await db.outbox.count()).toBe(2);
		expect(engine.status.get().conflicts).toHaveLength(1);

		await engine.resolveConflict('v1', 'discard');
		await engine.syncNow();
		const discard = server.log.at(-1)!;
		expect(discard.type).toBe('sync.discard');
		expect((discard.payload as { discarded: unknown[] }).discarded).toHaveLength(2);
		expect(JSON.stringify(discard.payload)).not.toContain('base64');
		expect(await db.outbox.count()).toBe(0);
		expect(engine.status.get().conflicts).toEqual([]);
	});

	it('retries a version conflict after rebasing it onto the server’s version, with a new id', async () => {
		const { db, server, engine } = await setup();
		server.visits.set('v1', makeVisit('v1', { start: '14:00', end: '15:00', version: 3 }));
		server.refuse = (m) => (m.type === 'visit.complete' && m.baseVersion !== server.visits.get(m.entityId)!.version ? 'err_version_conflict' : null);
		await complete(db, 'v1');
		const [original] = await db.outbox.toArray();
		await engine.syncNow();
		expect(engine.status.get().conflicts[0]).toMatchObject({ reason: 'err_version_conflict', canRetry: true, server: { version: 3, start: '14:00' } });

		await engine.resolveConflict('v1', 'retry');
		await engine.syncNow();
		const applied = server.log.at(-1)!;
		expect(applied).toMatchObject({ type: 'visit.complete', baseVersion: 3 });
		expect(applied.id).not.toBe(original.id);
		expect(server.decided.get(original.id)).toMatchObject({ status: 'rejected' }); // the old id stays refused
		expect(await db.outbox.count()).toBe(0);
	});

	it('pull removes withdrawn visits but keeps those with unsynced work, as conflicts', async () => {
		const { db, server, engine } = await setup();
		engine.handleOffline();
		await startTravel(db, 'v1'); // made offline: v1 has unsynced work
		server.withdrawn = new Set(['v1', 'v2']); // reassigned to another team
		await applyPull(db, await server.pull());
		expect(await db.visits.get('v2')).toBeUndefined();
		expect(await db.visits.get('v1')).toMatchObject({ withdrawnAt: expect.any(String) });
		expect(await db.drafts.get('v1')).toMatchObject({ step: 'travelling' });
		expect(await db.outbox.count()).toBe(1);
		await engine.refresh();
		expect(engine.status.get().conflicts[0]).toMatchObject({ visitId: 'v1', kind: 'withdrawn', reason: 'withdrawn' });

		server.refuse = (m) => (m.type === 'sync.discard' ? null : 'err_forbidden');
		await engine.handleOnline(); // the push is refused: now a rejected conflict, still kept
		expect(engine.status.get().conflicts[0]).toMatchObject({ visitId: 'v1', kind: 'rejected', reason: 'err_forbidden', server: null, canRetry: false });
		expect(await db.outbox.count()).toBe(1);
		await engine.resolveConflict('v1', 'discard');
		await engine.syncNow();
		expect(server.log.at(-1)).toMatchObject({ type: 'sync.discard', entityId: 'v1' });
		expect(await db.visits.count()).toBe(0); // gone once its work is decided
		expect(await db.residents.count()).toBe(0);
		expect(engine.status.get().conflicts).toEqual([]);
	});
});

describe('errors, back-off and the lock', () => {
	it('backs off exponentially with jitter, capped', () => {
		const opts = { baseMs: 1000, maxMs: 10_000 };
		expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, () => 0, opts))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
		expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, () => 1, opts))).toEqual([1000, 2000, 4000, 8000, 10_000]);
		expect(backoffDelay(3, () => 0.25, opts)).toBe(2500);
	});

	it('schedules retries by the back-off on a fake clock, and the periodic sync after success', async () => {
		const { server, clock, engine } = await setup();
		await engine.start();
		await engine.idle();
		expect(clock.timers.map((t) => t.delay)).toEqual([60_000]);
		server.failures.push(...[1, 2, 3].map(() => new TransportError('server', 'http_500', 500)));
		const delays: number[] = [];
		for (let i = 0; i < 3; i++) {
			clock.advance(clock.timers[0].delay);
			await engine.idle(); // the run the timer started
			delays.push(clock.timers[0].delay);
		}
		// random() = 0.5 → 75 % of 2 s, 4 s, 8 s.
		expect(delays).toEqual([1500, 3000, 6000]);
		expect(engine.status.get().lastError).toBe('sync_err_server');
		clock.advance(clock.timers[0].delay);
		await engine.idle();
		expect(engine.status.get().lastError).toBeNull();
		expect(clock.timers.map((t) => t.delay)).toEqual([60_000]);
		engine.stop();
	});

	it('does not retry on its own after an auth error; the online trigger resumes', async () => {
		const { server, clock, engine } = await setup();
		await engine.start();
		await engine.idle();
		server.failures.push(new TransportError('auth', 'err_unauthenticated', 401));
		expect(await engine.syncNow()).toEqual({ ok: false, error: 'sync_err_auth' });
		expect(clock.timers).toEqual([]);
		engine.handleOffline();
		expect(await engine.syncNow()).toEqual({ ok: false, error: 'sync_err_network' });
		expect(await engine.handleOnline()).toEqual({ ok: true });
		engine.stop();
	});

	it('registers again when the server no longer knows the device', async () => {
		const { db, server, engine } = await setup();
		await startTravel(db, 'v1');
		server.failures.push(new TransportError('device', 'sync_err_device', 403));
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(server.devices).toEqual(['device-1', 'device-2']);
		expect(server.pushDeviceIds.at(-1)).toBe('device-2');
		expect(server.log[0].deviceId).toBe('device-1'); // the device that made the change
	});

	it('runs one sync at a time; a call during a sync runs once more after it', async () => {
		const { db, server, engine } = await setup();
		await startTravel(db, 'v1');
		let open!: () => void;
		server.gate = new Promise((resolve) => (open = resolve));
		const first = engine.syncNow();
		const second = engine.syncNow();
		const third = engine.syncNow();
		await vi.waitFor(() => expect(server.pushCalls).toHaveLength(1));
		await new Promise((r) => setTimeout(r, 20)); // time for a second push, were there one
		expect(server.pushCalls).toHaveLength(1);
		expect(engine.status.get().syncing).toBe(true);
		await startTravel(db, 'v2'); // made during the sync: the follow-up sends it
		server.gate = null;
		open();
		await Promise.all([first, second, third]);
		expect(server.pushCalls).toHaveLength(2);
		expect(server.log.map((m) => m.entityId)).toEqual(['v1', 'v2']);
	});
});
