import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { consentHash, CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import type { PhotoKind } from '$lib/domain/photos';
import { handlePush } from '$lib/server/sync/http';
import { registerDevice } from '$lib/server/sync/devices';
import { requestDetail } from '$lib/server/views/request-detail';
import { evidenceContext, visitEvidence } from '$lib/server/views/visit-evidence';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { DEVICE_HEADER, type Mutation, type MutationType, type PayloadByType, type PushResponse } from '$lib/client/sync/protocol';
import { actor, newRequestInput, seedDemo, sessionUserOf, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * Issue 13: the timeline dropped the visit time (bug 2), wrote one "记录已同步" per checklist tick
 * and showed them to the community worker; the evidence invented a departure time (bug 6).
 */
describe.each(DIALECTS)('the request timeline and evidence after a tablet sync on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	it('shows the approved slot, one line per sync with what changed, and the worker only the outcome', async () => {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const date = addDays(today(), 1);
		const { visit } = await approveRequest(t.db, head, request.id, { date, start: '05:10', end: '05:40', leadStaffId: s1.id, secondStaffId: s2.id });

		const staff1 = await sessionUserOf(t.db, 'staff1');
		const dev = (await registerDevice(t.db, staff1.id, 'tablet')).id;
		const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
		const mutation = <T extends MutationType>(type: T, payload: PayloadByType[T]): Mutation<T> => ({ id: randomUUID(), type, entityId: visit.id, baseVersion: 1, payload, createdAt: new Date().toISOString(), deviceId: dev });
		const kinds: PhotoKind[] = ['id_front', 'id_back', 'staff_with_customer', 'signed_document'];
		const mutations = [
			// No 出发: the team went straight to 到达.
			mutation('visit.arrive', { at: at(40), lat: 30.16, lng: 120.26, accuracyM: 8, distanceM: 35.4 }),
			...[[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2]].map((ticked, i) => mutation('visit.checklist', { serviceCode: 'pin_reset', ticked, at: at(30 - i) })),
			mutation('visit.service_outcome', { serviceCode: 'pin_reset', outcome: 'done', note: null, at: at(20) }),
			mutation('visit.complete', {
				outcome: 'completed',
				note: '已办理',
				visitedAt: at(10),
				consent: { consentBy: 'resident', name: '测试老人', relation: null, consentVersion: CURRENT_CONSENT_VERSION, consentHash: await consentHash(CURRENT_CONSENT_VERSION), signature: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==', signedAt: at(12) },
				confirmedBy: [s1.id, s2.id],
				photos: kinds.map((kind, i) => ({ id: randomUUID(), kind, sha256: String(i).repeat(64), bytes: 300_000, takenAt: at(15), position: { lat: 30.16, lng: 120.26, accuracyM: 12 } }))
			})
		];
		const response = await handlePush(t.db, staff1, new Request('http://localhost/api/sync/push', { method: 'POST', body: JSON.stringify({ mutations }), headers: { 'content-type': 'application/json', [DEVICE_HEADER]: dev } }));
		const pushed = (await response.json()) as PushResponse;
		expect(pushed.results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));

		const forHead = (await requestDetail(t.db, await sessionUserOf(t.db, 'head1'), request.id, 'zh')).timeline;
		expect(forHead.find((e) => e.action === 'approve')?.details).toMatchObject({ date, start: '05:10', end: '05:40' });
		expect(forHead.map((e) => e.action)).toEqual(['submit', 'approve', 'sync_group']);
		const syncs = forHead.filter((e) => e.action === 'sync_group');
		expect(syncs).toHaveLength(1);
		expect(syncs[0].actorName).toBe(s1.displayName);
		expect(syncs[0].changes).toMatchObject({ startedTravelAt: null, arrivalDistanceM: 35, checklistServices: 1, servicesDone: 1, servicesNotDone: 0, outcome: 'completed', refused: 0 });

		const forWorker = (await requestDetail(t.db, await sessionUserOf(t.db, 'worker1'), request.id, 'zh')).timeline;
		expect(forWorker.map((e) => e.action)).toEqual(['submit', 'approve', 'record_outcome']);
		expect(forWorker[2].details).toMatchObject({ outcome: 'completed' });
		expect(forWorker.find((e) => e.action === 'approve')?.details).toMatchObject({ start: '05:10', end: '05:40' });

		// The evidence keeps the skipped departure unrecorded instead of copying the arrival.
		const headUser = await sessionUserOf(t.db, 'head1');
		const detail = await requestDetail(t.db, headUser, request.id, 'zh');
		const [evidence] = await visitEvidence(t.db, headUser, await evidenceContext(t.db, detail, headUser.outletId!));
		expect(evidence.arrivedAt).toBe((mutations[0].payload as PayloadByType['visit.arrive']).at);
		expect(evidence.travelStartedAt).toBeNull();
	});
});
