import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { consentHash, CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import type { PhotoKind, PhotoManifestEntry } from '$lib/domain/photos';
import type { SessionUser } from '$lib/server/auth/types';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { manifestFor } from '$lib/server/photos/repo';
import { getRequest } from '$lib/server/repos/requests';
import { getVisit } from '$lib/server/repos/visits';
import { handlePull, handlePush } from '$lib/server/sync/http';
import { registerDevice } from '$lib/server/sync/devices';
import { approveRequest, cancelRequest, rescheduleVisit, submitRequest } from '$lib/server/workflow';
import { DEVICE_HEADER, SYNC_LIMITS, type Mutation, type MutationType, type PayloadByType, type PullResponse, type PushResponse } from '$lib/client/sync/protocol';
import { actor, newRequestInput, rowCounts, seedDemo, today, sessionUserOf } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

let slotCounter = 0;
/** Tomorrow (inside the tablet's 14 days), at an early minute no demo visit uses. */
function nearSlot(leadStaffId: string, secondStaffId: string) {
	slotCounter++;
	const minute = (n: number) => `05:${String(n).padStart(2, '0')}`;
	return { date: addDays(today(), 1 + Math.floor(slotCounter / 29)), start: minute((slotCounter % 29) * 2), end: minute((slotCounter % 29) * 2 + 1), leadStaffId, secondStaffId };
}

describe.each(DIALECTS)('sync on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	const sessionUser = (username: string): Promise<SessionUser> => sessionUserOf(t.db, username);

	/** An approved request whose visit is staff1 (lead) + staff2 (second), tomorrow. */
	async function scheduledVisit() {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, request.id, nearSlot(s1.id, s2.id));
		return { request, visit, head, s1, s2 };
	}

	async function device(user: SessionUser) {
		return (await registerDevice(t.db, user.id, `tablet of ${user.username}`)).id;
	}

	function mutation<T extends MutationType>(type: T, entityId: string, baseVersion: number, payload: PayloadByType[T], deviceId = 'dev'): Mutation<T> {
		return { id: randomUUID(), type, entityId, baseVersion, payload, createdAt: new Date().toISOString(), deviceId };
	}

	/** The manifest of photos a tablet sends with a completion (their bytes go by PUT /api/photos). */
	function photoManifest(kinds: PhotoKind[] = ['id_front', 'id_back', 'staff_with_customer', 'signed_document']): PhotoManifestEntry[] {
		return kinds.map((kind, i) => ({ id: randomUUID(), kind, sha256: String(i).repeat(64), bytes: 300_000, takenAt: new Date().toISOString(), position: { lat: 30.16, lng: 120.26, accuracyM: 12 } }));
	}

	async function completion(s1: { id: string }, s2: { id: string }, photos = photoManifest()): Promise<PayloadByType['visit.complete']> {
		return {
			photos,
			outcome: 'completed',
			note: '已办理密码重置',
			visitedAt: new Date(Date.now() - 60_000).toISOString(),
			consent: { consentBy: 'resident', name: '测试老人', relation: null, consentVersion: CURRENT_CONSENT_VERSION, consentHash: await consentHash(CURRENT_CONSENT_VERSION), signature: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==', signedAt: new Date().toISOString() },
			confirmedBy: [s1.id, s2.id]
		};
	}

	/** Calls a handler like the route does; SvelteKit's `error()` becomes { status, body }. */
	async function call<T>(work: () => Promise<Response>): Promise<{ status: number; body: T }> {
		try {
			const response = await work();
			return { status: response.status, body: (await response.json()) as T };
		} catch (err) {
			const e = err as { status?: number; body?: unknown };
			if (typeof e.status !== 'number') throw err;
			return { status: e.status, body: e.body as T };
		}
	}

	const request = (path: string, body: string, deviceId?: string) =>
		new Request(`http://localhost${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(deviceId ? { [DEVICE_HEADER]: deviceId } : {}) } });
	const push = (user: SessionUser, deviceId: string, mutations: unknown[]) =>
		call<PushResponse>(() => handlePush(t.db, user, request('/api/sync/push', JSON.stringify({ mutations }), deviceId)));
	const pull = (user: SessionUser, deviceId: string, cursor: string | null) =>
		call<PullResponse>(() => handlePull(t.db, user, request('/api/sync/pull', JSON.stringify({ cursor }), deviceId)));

	const syncRows = async () => Number((await t.db.selectFrom('sync_mutations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

	it('pulls the field view, then only changes, and withdraws a cancelled visit', async () => {
		const { request: req, visit, head } = await scheduledVisit();
		const user = await sessionUser('staff1');
		const dev = await device(user);
		const first = await pull(user, dev, null);
		expect(first.status).toBe(200);
		expect(first.body.reset).toBe(true);
		const mine = first.body.visits.find((v) => v.id === visit.id)!;
		expect(mine).toMatchObject({ requestId: req.id, status: 'scheduled', version: 1, services: ['pin_reset'], requestStatus: 'approved' });
		expect(mine.resident).toMatchObject({ name: expect.any(String), idLast4: expect.any(String) });
		const idNumber = newRequestInput().resident!.idNumber.slice(0, 6); // region prefix of test IDs
		expect(JSON.stringify(first.body)).not.toMatch(new RegExp(`${idNumber}\\d{12}`)); // never a full ID number
		expect(first.body.services?.find((s) => s.code === 'pin_reset')?.checklist.length).toBeGreaterThan(0);

		const second = await pull(user, dev, first.body.cursor);
		expect(second.body).toMatchObject({ visits: [], withdrawn: [], services: null, reset: false });

		await cancelRequest(t.db, head, req.id, { reason: '客户已到网点办理' });
		const third = await pull(user, dev, second.body.cursor);
		expect(third.body.withdrawn).toEqual([visit.id]);
		expect(third.body.visits).toEqual([]);
	});

	it('applies a pushed batch exactly once: a replay changes nothing', async () => {
		const { request: req, visit, s1, s2 } = await scheduledVisit();
		const user = await sessionUser('staff1');
		const dev = await device(user);
		const batch = [
			mutation('visit.start_travel', visit.id, 1, { at: new Date(Date.now() - 3_600_000).toISOString() }, dev),
			mutation('visit.arrive', visit.id, 1, { at: new Date(Date.now() - 1_800_000).toISOString(), lat: 30.16, lng: 120.26, accuracyM: 8, distanceM: 25 }, dev),
			mutation('visit.checklist', visit.id, 1, { serviceCode: 'pin_reset', ticked: [0, 1], at: new Date().toISOString() }, dev),
			mutation('visit.service_outcome', visit.id, 1, { serviceCode: 'pin_reset', outcome: 'done', note: null, at: new Date().toISOString() }, dev),
			mutation('visit.complete', visit.id, 1, await completion(s1, s2), dev)
		];
		const first = await push(user, dev, batch);
		expect(first.status).toBe(200);
		expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
		expect(first.body.results.at(-1)!.visit).toMatchObject({ status: 'visited', outcome: 'completed', version: 2, requestStatus: 'completed' });
		expect(await getRequest(t.db, req.id)).toMatchObject({ status: 'completed', version: 3 });
		const progress = await t.db.selectFrom('visit_progress').selectAll().where('visit_id', '=', visit.id).executeTakeFirstOrThrow();
		expect(progress).toMatchObject({ arrival_distance_m: 25, consent_by: 'resident', completed_by: user.id });
		expect(JSON.parse(progress.checklist)).toMatchObject({ pin_reset: { ticked: [0, 1] } });
		expect(JSON.parse(progress.photo_manifest)).toEqual((batch[4].payload as PayloadByType['visit.complete']).photos);
		expect(await manifestFor(t.db, visit.id)).toEqual((batch[4].payload as PayloadByType['visit.complete']).photos);

		const counts = { ...(await rowCounts(t.db)), sync: await syncRows() };
		const replay = await push(user, dev, batch);
		expect(replay.body.results.map((r) => r.status)).toEqual(Array(5).fill('already_applied'));
		expect({ ...(await rowCounts(t.db)), sync: await syncRows() }).toEqual(counts);
		expect(await getRequest(t.db, req.id)).toMatchObject({ status: 'completed', version: 3 });
		expect((await getVisit(t.db, visit.id))!.version).toBe(2);

		const audit = await listAuditForEntity(t.db, 'visit', visit.id);
		expect(audit.filter((a) => a.action === 'sync_apply')).toHaveLength(5);
		// The chained entry holds the signature's SHA-256, so it vouches for the stored image.
		const signatureSha256 = createHash('sha256').update(progress.consent_signature!, 'utf8').digest('hex');
		expect(audit.find((a) => a.action === 'sync_apply' && a.details.type === 'visit.complete')!.details).toMatchObject({ deviceId: dev, payload: { outcome: 'completed', consent: { signed: true, signatureSha256 } } });
		expect(JSON.stringify(audit)).not.toContain('base64');
		// The audit names the photos, without their hashes or positions.
		const photosAudit = audit.find((a) => a.details.type === 'visit.complete')!.details.payload as { photos: unknown[] };
		expect(photosAudit.photos).toEqual((batch[4].payload as PayloadByType['visit.complete']).photos!.map(({ id, kind }) => ({ id, kind })));
	});

	it('refuses to complete a visit whose manifest lacks a required photo, and sends the requirements', async () => {
		const { request: req, visit, s1, s2 } = await scheduledVisit();
		const user = await sessionUser('staff1');
		const dev = await device(user);
		const pulled = await pull(user, dev, null);
		expect(pulled.body.services?.find((s) => s.code === 'pin_reset')?.requiredPhotos).toEqual(['id_front', 'id_back', 'staff_with_customer', 'signed_document']);
		expect(pulled.body.services?.find((s) => s.code === 'ss_card_activation')?.requiredPhotos).toEqual(['id_front', 'id_back', 'staff_with_customer']);

		const before = await rowCounts(t.db);
		const noSigned = mutation('visit.complete', visit.id, 1, await completion(s1, s2, photoManifest(['id_front', 'id_back', 'staff_with_customer', 'other'])), dev);
		const noPhotos = mutation('visit.complete', visit.id, 1, { ...(await completion(s1, s2)), photos: undefined }, dev);
		const followUp = mutation('visit.complete', visit.id, 1, { ...(await completion(s1, s2, [])), outcome: 'follow_up' }, dev);
		for (const m of [noSigned, noPhotos, followUp]) {
			expect((await push(user, dev, [m])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'err_photos_missing' });
		}
		expect(await getRequest(t.db, req.id)).toMatchObject({ status: 'approved' });
		expect((await rowCounts(t.db)).visits).toBe(before.visits);

		// A malformed manifest is refused as a payload: bad id, bad hash, too many, repeated ids.
		const bad = await completion(s1, s2);
		const tooMany = photoManifest(Array(21).fill('other'));
		for (const photos of [[{ ...bad.photos![0], id: 'x' }], [{ ...bad.photos![0], sha256: 'abc' }], [{ ...bad.photos![0], kind: 'selfie' }], tooMany, [bad.photos![0], bad.photos![0]]]) {
			const m = mutation('visit.complete', visit.id, 1, { ...bad, photos } as PayloadByType['visit.complete'], dev);
			expect((await push(user, dev, [m])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid_payload' });
		}

		// Nobody home: no services provided, so no photos are needed.
		const notHome = mutation('visit.complete', visit.id, 1, { outcome: 'not_home', note: null, visitedAt: new Date().toISOString(), consent: null, confirmedBy: [s1.id, s2.id] }, dev);
		expect((await push(user, dev, [notHome])).body.results[0]).toMatchObject({ status: 'applied', visit: { outcome: 'not_home' } });
	});

	it('answers concurrent pushes of the same batch once', async () => {
		const { visit } = await scheduledVisit();
		const user = await sessionUser('staff2');
		const dev = await device(user);
		const batch = [mutation('visit.start_travel', visit.id, 1, { at: new Date().toISOString() }), mutation('visit.checklist', visit.id, 1, { serviceCode: 'pin_reset', ticked: [0], at: new Date().toISOString() })];
		const before = await syncRows();
		const [a, b] = await Promise.all([push(user, dev, batch), push(user, dev, batch)]);
		const statuses = [...a.body.results, ...b.body.results].map((r) => r.status).sort();
		expect(statuses).toEqual(['already_applied', 'already_applied', 'applied', 'applied']);
		expect(await syncRows()).toBe(before + 2);
	});

	it('rejects a completion of a visit the outlet cancelled meanwhile, and keeps both facts', async () => {
		const { request: req, visit, head, s1, s2 } = await scheduledVisit();
		await cancelRequest(t.db, head, req.id, { reason: '家属来电取消' });
		const user = await sessionUser('staff1');
		const dev = await device(user);
		const m = mutation('visit.complete', visit.id, 1, await completion(s1, s2), dev);
		const held = mutation('visit.checklist', visit.id, 1, { serviceCode: 'pin_reset', ticked: [0], at: new Date().toISOString() }, dev);
		const { body } = await push(user, dev, [m, held]);
		expect(body.results).toHaveLength(1); // the later mutation of that visit waits on the device
		expect(body.results[0]).toMatchObject({ id: m.id, status: 'rejected', reason: 'err_transition_already_closed', visit: { status: 'cancelled', requestStatus: 'cancelled' } });
		expect(await getRequest(t.db, req.id)).toMatchObject({ status: 'cancelled' });

		const audit = await listAuditForEntity(t.db, 'visit', visit.id);
		const reject = audit.find((a) => a.action === 'sync_reject')!;
		expect(reject.details).toMatchObject({ mutationId: m.id, deviceId: dev, reason: 'err_transition_already_closed', payload: { outcome: 'completed', note: '已办理密码重置' } });
		const cancel = (await listAuditForEntity(t.db, 'request', req.id)).find((a) => a.action === 'cancel');
		expect(cancel?.details).toMatchObject({ visitId: visit.id });

		const replay = await push(user, dev, [m]);
		expect(replay.body.results[0]).toMatchObject({ status: 'rejected', reason: 'err_transition_already_closed' });

		// The user discards: the server records what the device gave up.
		const discard = mutation('sync.discard', visit.id, 1, { discarded: [{ id: m.id, type: m.type, baseVersion: 1, createdAt: m.createdAt, reason: 'err_transition_already_closed' }, { id: held.id, type: held.type, baseVersion: 1, createdAt: held.createdAt, reason: null }], summary: { outcome: 'completed', signature: 'data:image/png;base64,AAAA' } }, dev);
		expect((await push(user, dev, [discard])).body.results[0].status).toBe('applied');
		const discardAudit = (await listAuditForEntity(t.db, 'visit', visit.id)).find((a) => a.action === 'sync_discard')!;
		expect(JSON.stringify(discardAudit.details)).not.toContain('base64');
		expect((await push(user, dev, [held])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'err_discarded' });
	});

	it('refuses a completion made on an old version, but merges progress', async () => {
		const { request: req, visit, head, s1, s2 } = await scheduledVisit();
		await rescheduleVisit(t.db, head, req.id, { ...nearSlot(s1.id, s2.id), reason: '客户要求改时间' });
		const user = await sessionUser('staff1');
		const dev = await device(user);
		const progress = mutation('visit.arrive', visit.id, 1, { at: new Date().toISOString(), lat: 30.1, lng: 120.2, accuracyM: 10, distanceM: null }, dev);
		const stale = mutation('visit.complete', visit.id, 1, await completion(s1, s2), dev);
		const { body } = await push(user, dev, [progress, stale]);
		expect(body.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
		expect(body.results[1]).toMatchObject({ reason: 'err_version_conflict', visit: { version: 2 } });
		expect(await getRequest(t.db, req.id)).toMatchObject({ status: 'approved' });

		// Rebased and retried under a new id, it applies.
		const retried = { ...stale, id: randomUUID(), baseVersion: 2 };
		expect((await push(user, dev, [retried])).body.results[0]).toMatchObject({ status: 'applied', visit: { status: 'visited' } });
		// The teammate's tablet completed too, offline: the state machine refuses the second one.
		const other = await sessionUser('staff2');
		const otherDev = await device(other);
		const late = mutation('visit.complete', visit.id, 2, await completion(s1, s2), otherDev);
		expect((await push(other, otherDev, [late])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'err_transition_visit_recorded' });
	});

	it('refuses someone else’s visit without showing it, unknown types and bad payloads', async () => {
		const { visit, s1, s2 } = await scheduledVisit();
		const outsider = await sessionUser('staff3');
		const dev = await device(outsider);
		const before = await rowCounts(t.db);
		const { body } = await push(outsider, dev, [
			mutation('visit.complete', visit.id, 1, await completion(s1, s2), dev),
			{ ...mutation('visit.arrive', randomUUID(), 1, { at: new Date().toISOString(), lat: 1, lng: 1, accuracyM: 1, distanceM: null }, dev) },
			{ ...mutation('visit.start_travel', 'v-other', 1, { at: new Date().toISOString() }, dev), type: 'visit.teleport' },
			mutation('visit.checklist', 'v-bad', 1, { serviceCode: 'pin_reset', ticked: ['all'] as unknown as number[], at: 'yesterday' }, dev)
		]);
		expect(body.results.map((r) => [r.status, 'reason' in r ? r.reason : null, r.visit])).toEqual([
			['rejected', 'err_forbidden', null],
			['rejected', 'err_not_found', null],
			['rejected', 'unknown_type', null],
			['rejected', 'invalid_payload', null]
		]);
		expect((await getVisit(t.db, visit.id))!.status).toBe('scheduled');
		const after = await rowCounts(t.db);
		expect({ ...after, audit_log: before.audit_log }).toEqual(before); // only audit entries were added
		expect(after.audit_log - before.audit_log).toBe(4);
	});

	it('refuses malformed, oversized and device-less pushes whole, applying nothing', async () => {
		const { visit } = await scheduledVisit();
		const user = await sessionUser('staff1');
		const dev = await device(user);
		const before = { ...(await rowCounts(t.db)), sync: await syncRows() };
		const send = (body: string, deviceId: string | undefined = dev) => call<{ message: string }>(() => handlePush(t.db, user, request('/api/sync/push', body, deviceId)));
		const good = () => mutation('visit.start_travel', visit.id, 1, { at: new Date().toISOString() }, dev);

		expect(await send('{"mutations": [')).toEqual({ status: 400, body: { message: 'sync_err_malformed' } });
		expect(await send(JSON.stringify({ mutations: [good(), { ...good(), id: 'not-a-uuid' }] }))).toEqual({ status: 400, body: { message: 'sync_err_malformed' } });
		expect(await send(JSON.stringify({ mutations: Array.from({ length: SYNC_LIMITS.maxBatchMutations + 1 }, good) }))).toEqual({ status: 413, body: { message: 'sync_err_too_large' } });
		const huge = JSON.stringify({ mutations: [{ ...good(), payload: { at: new Date().toISOString(), padding: 'x'.repeat(SYNC_LIMITS.maxBodyBytes) } }] });
		expect((await send(huge)).status).toBe(413);
		expect(await send(JSON.stringify({ mutations: [good()] }), '')).toEqual({ status: 403, body: { message: 'sync_err_device' } });
		// The connection breaks off half-way through a valid push (a killed connection): a 400, not an unexpected error.
		const whole = new TextEncoder().encode(JSON.stringify({ mutations: [good(), good()] }));
		const brokenOff = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(whole.slice(0, whole.length >> 1));
				controller.error(new Error('aborted'));
			}
		});
		const cut = new Request('http://localhost/api/sync/push', { method: 'POST', body: brokenOff, duplex: 'half', headers: { 'content-type': 'application/json', [DEVICE_HEADER]: dev } } as RequestInit);
		expect(await call<{ message: string }>(() => handlePush(t.db, user, cut))).toEqual({ status: 400, body: { message: 'sync_err_malformed' } });
		const foreignDevice = await device(await sessionUser('staff2'));
		expect((await send(JSON.stringify({ mutations: [good()] }), foreignDevice)).status).toBe(403);
		// A revoked device's push is still applied: see tests/integration/device-revocation.test.ts.
		expect({ ...(await rowCounts(t.db)), sync: await syncRows() }).toEqual(before);
	});
});
