import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeUserDb, openUserDb } from '../db';
import { testKeys } from '../crypto/test-keys';
import { startTravel } from '../visit-actions';
import { SyncEngine } from './engine';
import { createHttpTransport } from './http-transport';
import { DEVICE_HEADER } from './protocol';
import { FakeClock, makeVisit } from './testing/memory-transport';

type Handler = (path: string, init: RequestInit) => Response | Promise<Response>;

function fakeFetch(handler: Handler) {
	const calls: { path: string; headers: Record<string, string>; body: unknown }[] = [];
	const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const path = String(input);
		calls.push({ path, headers: (init?.headers ?? {}) as Record<string, string>, body: JSON.parse(String(init?.body ?? 'null')) });
		return handler(path, init ?? {});
	}) as typeof globalThis.fetch;
	return { fetch, calls };
}

const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const pullBody = { cursor: 'c1', visits: [makeVisit('v1')], withdrawn: [], services: [], reset: true, serverTime: '2026-11-27T01:00:00.000Z', policy: { lockIdleMinutes: 5 } };

async function engineWith(handler: Handler) {
	const db = await openUserDb(`http-${Math.random()}`, await testKeys());
	const { fetch, calls } = fakeFetch(handler);
	const engine = new SyncEngine({ db, transport: createHttpTransport({ fetch }), clock: new FakeClock(), random: () => 0 });
	return { db, engine, calls };
}

afterEach(() => closeUserDb());

describe('HTTP transport', () => {
	it('registers the device, then pushes and pulls with the device header', async () => {
		const { db, engine, calls } = await engineWith((path, init) => {
			if (path === '/api/devices') return ok({ id: 'dev-9', label: 'x', createdAt: '', lastSeenAt: null, revokedAt: null }, 201);
			if (path === '/api/sync/push') {
				const { mutations } = JSON.parse(String(init.body)) as { mutations: { id: string }[] };
				return ok({ results: mutations.map((m) => ({ id: m.id, status: 'applied', visit: null })) });
			}
			return ok(pullBody);
		});
		await engine.syncNow();
		await startTravel(db, 'v1');
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(calls.map((c) => c.path)).toEqual(['/api/devices', '/api/sync/pull', '/api/sync/push', '/api/sync/pull']);
		expect(calls[2].headers[DEVICE_HEADER]).toBe('dev-9');
		expect(calls[3].body).toEqual({ cursor: 'c1' });
		expect(await db.outbox.count()).toBe(0);
	});

	it.each([
		['a 500', () => new Response('{"message":"err_server"}', { status: 500 }), 'sync_err_server'],
		['a 401', () => ok({ message: 'err_unauthenticated' }, 401), 'sync_err_auth'],
		['a 403 for another role', () => ok({ message: 'err_forbidden' }, 403), 'sync_err_auth'],
		['an answer that is not JSON', () => new Response('<html>proxy login</html>', { status: 200 }), 'sync_err_malformed'],
		['JSON of the wrong shape', () => ok({ results: 'yes' }), 'sync_err_malformed'],
		['no network', () => Promise.reject(new TypeError('Failed to fetch')), 'sync_err_network']
	] as const)('reports %s and keeps the outbox', async (_name, answer, code) => {
		const { db, engine } = await engineWith((path) => {
			if (path === '/api/devices') return ok({ id: 'dev-1' });
			if (path === '/api/sync/pull') return ok(pullBody);
			return answer();
		});
		await engine.syncNow();
		await startTravel(db, 'v1');
		expect(await engine.syncNow()).toEqual({ ok: false, error: code });
		expect(engine.status.get()).toMatchObject({ lastError: code, pending: 1, syncing: false });
		expect(await db.outbox.count()).toBe(1);
		expect((await db.syncState.get('sync'))?.lastError).toBe(code);
	});

	it('reads a 410 from pull as the revocation: flag stored, no registration, the wipe reported with the device header', async () => {
		const revoked = { reason: 'device_revoked', revokedAt: '2026-11-27T03:00:00.000Z' };
		const { db, engine, calls } = await engineWith((path) => {
			if (path === '/api/devices') return ok({ id: 'dev-9', label: 'x', createdAt: '', lastSeenAt: null, revokedAt: null }, 201);
			if (path === '/api/sync/wiped') return ok({ ok: true });
			return ok({ message: 'sync_err_revoked', revoked }, 410);
		});
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(await engine.syncNow()).toEqual({ ok: true });
		expect(engine.status.get().revoked).toEqual(revoked);
		expect(calls.map((c) => c.path)).toEqual(['/api/devices', '/api/sync/pull']);
		expect(db.isOpen()).toBe(true);
		const wiped = fakeFetch(() => ok({ ok: true }));
		await createHttpTransport({ fetch: wiped.fetch }).reportWiped({ unsyncedMutations: 0, unsyncedPhotos: 0 }, 'dev-9');
		expect(wiped.calls).toEqual([{ path: '/api/sync/wiped', headers: expect.objectContaining({ [DEVICE_HEADER]: 'dev-9' }), body: { unsyncedMutations: 0, unsyncedPhotos: 0 } }]);
	});
});
