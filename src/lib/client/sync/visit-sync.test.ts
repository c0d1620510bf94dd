import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeUserDb, openUserDb } from '../db';
import { testKeys } from '../crypto/test-keys';
import { setChecklist, startTravel } from '../visit-actions';
import { SyncEngine } from './engine';
import { FakeClock, makeVisit, MemoryServer } from './testing/memory-transport';
import { rememberApplied, visitSync } from './visit-sync';
import { loadVisitSync } from './visit-sync-load';

afterEach(() => closeUserDb());

const pending = { status: 'pending' as const, type: 'visit.checklist' as const };
const rejected = { status: 'rejected' as const, type: 'visit.checklist' as const };
const photo = (status: 'queued' | 'uploaded' | 'refused', receivedAt: string | null = null) => ({ status, receipt: receivedAt ? { receivedAt } : null });

describe('a visit\'s standing with the server (issue 13, bug 4)', () => {
	it('refused beats waiting beats synced; synced carries the newest time', () => {
		expect(visitSync({ entries: [pending, rejected], photos: [], appliedAt: null, recorded: true })).toEqual({ kind: 'refused' });
		expect(visitSync({ entries: [], photos: [photo('refused')], appliedAt: null, recorded: true })).toEqual({ kind: 'refused' });
		expect(visitSync({ entries: [pending], photos: [], appliedAt: '2026-12-01T01:00:00.000Z', recorded: true })).toEqual({ kind: 'waiting' });
		expect(visitSync({ entries: [], photos: [photo('queued')], appliedAt: '2026-12-01T01:00:00.000Z', recorded: true })).toEqual({ kind: 'waiting' });
		expect(visitSync({ entries: [], photos: [photo('uploaded', '2026-12-01T02:00:00.000Z')], appliedAt: '2026-12-01T01:00:00.000Z', recorded: true })).toEqual({
			kind: 'synced',
			at: '2026-12-01T02:00:00.000Z'
		});
		// A refused discard blocks nothing (outbox.ts): it is not the user's to resolve.
		expect(visitSync({ entries: [{ status: 'rejected', type: 'sync.discard' }], photos: [], appliedAt: null, recorded: false })).toEqual({ kind: 'none' });
		expect(visitSync({ entries: [], photos: [], appliedAt: null, recorded: true })).toEqual({ kind: 'synced', at: null });
	});

	it('keeps the times of the newest visits only', () => {
		let map: Record<string, string> = {};
		for (let i = 0; i < 5; i++) map = rememberApplied(map, [`v${i}`], `2026-12-01T0${i}:00:00.000Z`, 3);
		expect(Object.keys(map).sort()).toEqual(['v2', 'v3', 'v4']);
	});

	it('follows the outbox: waiting while the taps are queued, synced at the push time once applied', async () => {
		const db = await openUserDb(`visit-sync-${Date.now()}`, await testKeys());
		const server = new MemoryServer([makeVisit('v1'), makeVisit('v2')]);
		const clock = new FakeClock();
		const engine = new SyncEngine({ db, transport: server, clock, random: () => 0.5 });
		await engine.syncNow();
		await startTravel(db, 'v1');
		for (let i = 0; i < 3; i++) await setChecklist(db, 'v1', 'pin_reset', [i]);
		await engine.refresh();
		// Four taps of one visit: one visit waiting.
		expect(engine.status.get()).toMatchObject({ pending: 4, pendingVisits: 1 });
		expect((await loadVisitSync(db, ['v1', 'v2'], new Set(['v1']))).get('v1')).toEqual({ kind: 'waiting' });
		expect(await engine.syncNow()).toEqual({ ok: true });
		const after = await loadVisitSync(db, ['v1', 'v2'], new Set(['v1']));
		expect(after.get('v1')).toEqual({ kind: 'synced', at: new Date(clock.now()).toISOString() });
		expect(after.get('v2')).toEqual({ kind: 'none' });
		expect(engine.status.get()).toMatchObject({ pending: 0, pendingVisits: 0, reachable: true });
	});

	it('reachable follows the server\'s answers, not the browser\'s online flag (issue 13, bug 7)', async () => {
		const db = await openUserDb(`visit-reach-${Date.now()}`, await testKeys());
		const server = new MemoryServer([makeVisit('v1')]);
		const engine = new SyncEngine({ db, transport: server, clock: new FakeClock(), random: () => 0.5, online: true });
		expect(engine.status.get().reachable).toBeNull();
		await engine.syncNow();
		expect(engine.status.get().reachable).toBe(true);
		await startTravel(db, 'v1');
		server.failAfter = 0;
		expect(await engine.syncNow()).toEqual({ ok: false, error: 'sync_err_network' });
		expect(engine.status.get()).toMatchObject({ online: true, reachable: false });
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(engine.status.get().reachable).toBe(true);
	});
});
