import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { setAccountActive } from '$lib/server/admin/users';
import { AdminError } from '$lib/server/admin/errors';
import { verifyAuditChains } from '$lib/server/audit-chain/store';
import type { SessionUser } from '$lib/server/auth/types';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { getVisit } from '$lib/server/repos/visits';
import { listDevicesForAdmin, revokeAllDevicesAsAdmin, revokeDeviceAsAdmin } from '$lib/server/security/device-admin';
import { registerDevice } from '$lib/server/sync/devices';
import { handlePull, handlePush, handleWiped } from '$lib/server/sync/http';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { DEVICE_HEADER, REVOKED_STATUS, type Mutation, type MutationType, type PayloadByType, type PushResponse, type RevokedBody } from '$lib/client/sync/protocol';
import { actor, newRequestInput, seedDemo, today, sessionUserOf } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * Revoking a tablet while it is offline with unsynced work: when it reconnects, its queued
 * mutations are still applied (nothing lost), the push answer says "revoked", a pull gets no data
 * but the wipe signal, and the wipe report lands in the audit log.
 */
let slot = 0;
const nearSlot = (lead: string, second: string) => {
	slot++;
	return { date: addDays(today(), 2), start: `04:${String(slot * 2).padStart(2, '0')}`, end: `04:${String(slot * 2 + 1).padStart(2, '0')}`, leadStaffId: lead, secondStaffId: second };
};

describe.each(DIALECTS)('device revocation on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	const sessionUser = (username: string): Promise<SessionUser> => sessionUserOf(t.db, username);

	async function scheduledVisit(lead: string, second: string) {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', lead, second].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, request.id, nearSlot(s1.id, s2.id));
		return { request, visit };
	}

	function mutation<T extends MutationType>(type: T, entityId: string, baseVersion: number, payload: PayloadByType[T], deviceId: string): Mutation<T> {
		return { id: randomUUID(), type, entityId, baseVersion, payload, createdAt: new Date().toISOString(), deviceId };
	}

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
	const request = (path: string, body: unknown, deviceId: string) =>
		new Request(`http://localhost${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', [DEVICE_HEADER]: deviceId } });
	const push = (user: SessionUser, deviceId: string, mutations: unknown[]) => call<PushResponse>(() => handlePush(t.db, user, request('/api/sync/push', { mutations }, deviceId)));
	const pull = (user: SessionUser, deviceId: string) => call<RevokedBody & { visits?: unknown[] }>(() => handlePull(t.db, user, request('/api/sync/pull', { cursor: null }, deviceId)));
	const wiped = (user: SessionUser, deviceId: string, report: unknown) => call<{ ok?: boolean; message?: string }>(() => handleWiped(t.db, user, request('/api/sync/wiped', report, deviceId)));

	it('revoked while offline with unsynced work: the work is applied first, then the device is told to wipe', async () => {
		const admin = await sessionUser('admin');
		const staff = await sessionUser('staff1');
		const { request: req, visit } = await scheduledVisit('staff1', 'staff2');
		const tablet = (await registerDevice(t.db, staff.id, 'tablet A')).id;
		const other = (await registerDevice(t.db, staff.id, 'tablet B')).id;

		// Offline, the team records the visit; meanwhile the admin revokes tablet A.
		const now = () => new Date().toISOString();
		const queued = [
			mutation('visit.start_travel', visit.id, 1, { at: now() }, tablet),
			mutation('visit.arrive', visit.id, 1, { at: now(), lat: 30.16, lng: 120.26, accuracyM: 12, distanceM: null }, tablet),
			mutation('visit.complete', visit.id, 1, { outcome: 'not_home', note: '敲门无人应答', visitedAt: now(), consent: null, confirmedBy: [staff.id, (await sessionUser('staff2')).id] }, tablet)
		];
		await revokeDeviceAsAdmin(t.db, admin, tablet);
		const revokeEntry = (await listAuditForEntity(t.db, 'device', tablet)).find((e) => e.action === 'device_revoke');
		expect(revokeEntry).toMatchObject({ actorId: admin.id, details: { userId: staff.id, label: 'tablet A' } });

		// Reconnect: push first. Everything is applied; the answer carries the revocation.
		const pushed = await push(staff, tablet, queued);
		expect(pushed.status).toBe(200);
		expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
		expect(pushed.body.revoked).toEqual({ reason: 'device_revoked', revokedAt: expect.any(String) });
		expect(await getVisit(t.db, visit.id)).toMatchObject({ status: 'visited', outcome: 'not_home' });
		const applied = await t.db.selectFrom('sync_mutations').select(['id', 'device_id', 'result']).where('entity_id', '=', visit.id).execute();
		expect(applied).toHaveLength(3);
		expect(applied.every((m) => m.device_id === tablet && m.result === 'applied')).toBe(true);
		expect(req.id).toBeTruthy();

		// A replay (the answer was lost) is still exactly once, still revoked.
		const replay = await push(staff, tablet, queued);
		expect(replay.body.results.map((r) => r.status)).toEqual(['already_applied', 'already_applied', 'already_applied']);
		expect(replay.body.revoked?.reason).toBe('device_revoked');

		// Pull: no data any more, only the signal.
		const pulled = await pull(staff, tablet);
		expect(pulled.status).toBe(REVOKED_STATUS);
		expect(pulled.body).toEqual({ message: 'sync_err_revoked', revoked: { reason: 'device_revoked', revokedAt: pushed.body.revoked!.revokedAt } });
		expect(pulled.body.visits).toBeUndefined();

		// The user's other tablet is untouched.
		expect((await pull(staff, other)).status).toBe(200);
		expect((await push(staff, other, [])).body.revoked).toBeUndefined();

		// The wipe report: only from the revoked tablet, recorded in the audit log and shown to the admin.
		expect(await wiped(staff, other, { unsyncedMutations: 0, unsyncedPhotos: 0 })).toEqual({ status: 409, body: { message: 'sync_err_not_revoked' } });
		expect((await wiped(staff, tablet, { unsyncedMutations: -1 })).status).toBe(400);
		expect(await wiped(staff, tablet, { unsyncedMutations: 0, unsyncedPhotos: 0 })).toEqual({ status: 200, body: { ok: true } });
		const wipe = (await listAuditForEntity(t.db, 'device', tablet)).find((e) => e.action === 'device_wiped');
		expect(wipe).toMatchObject({ actorId: staff.id, details: { unsyncedMutations: 0, unsyncedPhotos: 0, label: 'tablet A' } });
		const listed = await listDevicesForAdmin(t.db, { userId: staff.id });
		expect(listed.find((d) => d.id === tablet)).toMatchObject({ revokedAt: expect.any(String), wipedAt: wipe!.at });
		expect(listed.find((d) => d.id === other)).toMatchObject({ revokedAt: null, wipedAt: null });

		// Someone else's device id is still no device at all.
		const foreign = await sessionUser('staff3');
		expect((await push(foreign, tablet, [])).status).toBe(403);
		expect((await verifyAuditChains(t.db)).ok).toBe(true);
	});

	it('admin refusals: unknown device, revoked twice; revoke all of a user, then nothing left', async () => {
		const admin = await sessionUser('admin');
		const staff = await sessionUser('staff4');
		const a = (await registerDevice(t.db, staff.id, 'A')).id;
		await registerDevice(t.db, staff.id, 'B');
		await expect(revokeDeviceAsAdmin(t.db, admin, randomUUID())).rejects.toMatchObject({ code: 'security_err_device_not_found', status: 404 });
		await revokeDeviceAsAdmin(t.db, admin, a);
		await expect(revokeDeviceAsAdmin(t.db, admin, a)).rejects.toBeInstanceOf(AdminError);
		expect(await revokeAllDevicesAsAdmin(t.db, admin, staff.id)).toBe(1);
		expect(await revokeAllDevicesAsAdmin(t.db, admin, staff.id)).toBe(0);
		expect((await listDevicesForAdmin(t.db, { userId: staff.id })).every((d) => d.revokedAt)).toBe(true);
		const all = (await listAuditForEntity(t.db, 'user', staff.id)).filter((e) => e.action === 'device_revoke_all');
		expect(all).toHaveLength(1);
		await expect(revokeAllDevicesAsAdmin(t.db, admin, randomUUID())).rejects.toMatchObject({ code: 'err_not_found' });
	});

	it('deactivating a user revokes their tablets and ends their sessions', async () => {
		const admin = await sessionUser('admin');
		const staff = await sessionUser('staff5');
		const dev = (await registerDevice(t.db, staff.id, 'C')).id;
		await setAccountActive(t.db, admin, staff.id, false);
		expect((await listDevicesForAdmin(t.db, { userId: staff.id })).find((d) => d.id === dev)?.revokedAt).toEqual(expect.any(String));
		const entry = (await listAuditForEntity(t.db, 'user', staff.id)).find((e) => e.action === 'user_deactivate');
		expect(entry?.details).toEqual({ revokedDevices: [dev] });
		await setAccountActive(t.db, admin, staff.id, true);
	});
});
