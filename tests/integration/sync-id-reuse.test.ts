import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import type { SessionUser } from '$lib/server/auth/types';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { handlePush } from '$lib/server/sync/http';
import { registerDevice } from '$lib/server/sync/devices';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { DEVICE_HEADER, type Mutation, type MutationType, type PayloadByType, type PushResponse } from '$lib/client/sync/protocol';
import { actor, newRequestInput, rowCounts, seedDemo, sessionUserOf, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * Issue 12, point 3: a mutation id is bound to its content. A replay (same id, same body, key
 * order and pushing device aside) answers `already_applied`; the same id with another body is
 * refused `err_id_reused` and nothing of it is applied — before, it was answered
 * `already_applied` and the tablet dropped the changed work.
 */
describe.each(DIALECTS)('mutation ids bound to their content on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	let slot = 0;

	async function scheduledVisit() {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		slot++;
		const { visit } = await approveRequest(t.db, head, request.id, { date: addDays(today(), 2), start: `04:${String(slot * 2).padStart(2, '0')}`, end: `04:${String(slot * 2 + 1).padStart(2, '0')}`, leadStaffId: s1.id, secondStaffId: s2.id });
		return visit;
	}
	function mutation<T extends MutationType>(type: T, entityId: string, payload: PayloadByType[T], deviceId: string): Mutation<T> {
		return { id: randomUUID(), type, entityId, baseVersion: 1, payload, createdAt: new Date().toISOString(), deviceId };
	}
	async function push(user: SessionUser, deviceId: string, mutations: unknown[]): Promise<PushResponse> {
		const request = new Request('http://localhost/api/sync/push', { method: 'POST', body: JSON.stringify({ mutations }), headers: { 'content-type': 'application/json', [DEVICE_HEADER]: deviceId } });
		return (await (await handlePush(t.db, user, request)).json()) as PushResponse;
	}
	const arrival = async (visitId: string) => (await t.db.selectFrom('visit_progress').select(['arrived_at', 'arrival_lat']).where('visit_id', '=', visitId).executeTakeFirst()) ?? null;

	it('same id, same content: already applied; same id, other content: err_id_reused, nothing applied', async () => {
		const visit = await scheduledVisit();
		const user = await sessionUserOf(t.db, 'staff1');
		const dev = (await registerDevice(t.db, user.id, 'tablet A')).id;
		const arrive = mutation('visit.arrive', visit.id, { at: new Date(Date.now() - 60_000).toISOString(), lat: 30.16, lng: 120.26, accuracyM: 8, distanceM: 25 }, dev);
		expect((await push(user, dev, [arrive])).results[0]).toMatchObject({ status: 'applied' });
		const applied = await arrival(visit.id);
		expect(applied).toMatchObject({ arrival_lat: 30.16 });

		// A replay with the payload's keys in another order, pushed by the user's other tablet.
		const devB = (await registerDevice(t.db, user.id, 'tablet B')).id;
		const reordered = { ...arrive, payload: { distanceM: 25, accuracyM: 8, lng: 120.26, lat: 30.16, at: arrive.payload.at } };
		expect((await push(user, devB, [reordered])).results[0]).toMatchObject({ status: 'already_applied' });

		// The same id with a changed position, then a further mutation of the visit in that batch.
		const before = await rowCounts(t.db);
		const changed = { ...arrive, payload: { ...arrive.payload, lat: 30.5 } };
		const later = mutation('visit.checklist', visit.id, { serviceCode: 'pin_reset', ticked: [0], at: new Date().toISOString() }, dev);
		const { results } = await push(user, dev, [changed, later]);
		expect(results).toHaveLength(1); // the visit's later work waits on the tablet behind the conflict
		expect(results[0]).toMatchObject({ id: arrive.id, status: 'rejected', reason: 'err_id_reused', visit: { id: visit.id } });
		expect(await arrival(visit.id)).toEqual(applied);
		const after = await rowCounts(t.db);
		expect({ ...after, audit_log: before.audit_log }).toEqual(before);
		expect(after.audit_log - before.audit_log).toBe(1);
		const entries = await listAuditForEntity(t.db, 'visit', visit.id);
		expect(entries.filter((e) => e.action === 'sync_id_reused').map((e) => e.details)).toEqual([expect.objectContaining({ mutationId: arrive.id, type: 'visit.arrive' })]);
		// The stored decision stands: the original content still answers as a replay.
		expect((await push(user, dev, [arrive])).results[0]).toMatchObject({ status: 'already_applied' });
	});

	it('a rejected id reused with other content is refused the same way', async () => {
		const visit = await scheduledVisit();
		const user = await sessionUserOf(t.db, 'staff1');
		const dev = (await registerDevice(t.db, user.id, 'tablet C')).id;
		const bad = mutation('visit.checklist', visit.id, { serviceCode: 'no_such_service', ticked: [0], at: new Date().toISOString() }, dev);
		expect((await push(user, dev, [bad])).results[0]).toMatchObject({ status: 'rejected', reason: 'err_unknown_service' });
		expect((await push(user, dev, [bad])).results[0]).toMatchObject({ status: 'rejected', reason: 'err_unknown_service' });
		const fixed = { ...bad, payload: { ...bad.payload, serviceCode: 'pin_reset' } };
		expect((await push(user, dev, [fixed])).results[0]).toMatchObject({ status: 'rejected', reason: 'err_id_reused' });
		expect(await t.db.selectFrom('visit_progress').select('checklist').where('visit_id', '=', visit.id).executeTakeFirst()).toBeUndefined();
	});
});
