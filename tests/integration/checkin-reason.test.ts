import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { consentHash, CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import { FAR_REASON_MAX } from '$lib/domain/check-in';
import type { SessionUser } from '$lib/server/auth/types';
import { config } from '$lib/server/config';
import { handlePull, handlePush } from '$lib/server/sync/http';
import { registerDevice } from '$lib/server/sync/devices';
import { visitEvidence } from '$lib/server/views/visit-evidence';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import { DEVICE_HEADER, type Mutation, type MutationType, type PayloadByType, type PullResponse, type PushResponse } from '$lib/client/sync/protocol';
import { actor, newRequestInput, seedDemo, sessionUserOf, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * Issue 13: a check-in far from the resident's pin carries the team's reason through the sync
 * into the server's record and the outlet head's view; the pull tells the tablet the distance
 * and who consented on the request (the consent step starts from it).
 */
let slot = 0;
const nearSlot = (lead: string, second: string) => {
	slot++;
	const minute = (n: number) => `04:${String(n).padStart(2, '0')}`;
	return { date: addDays(today(), 1), start: minute(slot * 2), end: minute(slot * 2 + 1), leadStaffId: lead, secondStaffId: second };
};

describe.each(DIALECTS)('far check-in reason on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	async function scheduledVisit() {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, request.id, nearSlot(s1.id, s2.id));
		return { request, visit, s1, s2 };
	}
	const mutation = <T extends MutationType>(type: T, entityId: string, payload: PayloadByType[T], deviceId: string): Mutation<T> => ({
		id: randomUUID(),
		type,
		entityId,
		baseVersion: 1,
		payload,
		createdAt: new Date().toISOString(),
		deviceId
	});
	const post = (path: string, body: unknown, deviceId: string) =>
		new Request(`http://localhost${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', [DEVICE_HEADER]: deviceId } });
	const push = async (user: SessionUser, dev: string, mutations: unknown[]) => (await (await handlePush(t.db, user, post('/api/sync/push', { mutations }, dev))).json()) as PushResponse;
	const pull = async (user: SessionUser, dev: string) => (await (await handlePull(t.db, user, post('/api/sync/pull', { cursor: null }, dev))).json()) as PullResponse;
	const storedReason = async (visitId: string) =>
		(await t.db.selectFrom('visit_progress').select('arrival_far_reason').where('visit_id', '=', visitId).executeTakeFirst())?.arrival_far_reason ?? null;

	it('the pull sends the distance and the request\'s consenting guardian', async () => {
		const { visit } = await scheduledVisit();
		const user = await sessionUserOf(t.db, 'staff1');
		const dev = (await registerDevice(t.db, user.id, 'tablet')).id;
		const body = await pull(user, dev);
		expect(body.policy.checkInMaxDistanceM).toBe(config().checkInMaxDistanceM);
		expect(body.visits.find((v) => v.id === visit.id)?.requestConsent).toEqual({ by: 'guardian', name: '测试家属', relation: '女儿' });
	});

	it('stores the reason of a check-in 1,132 m away and shows it to the outlet head; a too long reason is refused, nothing stored', async () => {
		const { request, visit, s1, s2 } = await scheduledVisit();
		const user = await sessionUserOf(t.db, 'staff1');
		const dev = (await registerDevice(t.db, user.id, 'tablet')).id;
		const at = new Date(Date.now() - 600_000).toISOString();
		const far = { at, lat: 30.167, lng: 120.26, accuracyM: 10, distanceM: 1132 };

		const tooLong = await push(user, dev, [mutation('visit.arrive', visit.id, { ...far, farReason: '长'.repeat(FAR_REASON_MAX + 1) }, dev)]);
		expect(tooLong.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid_payload' });
		expect(await storedReason(visit.id)).toBeNull();

		const ok = await push(user, dev, [mutation('visit.arrive', visit.id, { ...far, farReason: '  居民在社区服务站等候  ' }, dev)]);
		expect(ok.results[0]).toMatchObject({ status: 'applied' });
		expect(await storedReason(visit.id)).toBe('居民在社区服务站等候');

		const consent = { consentBy: 'resident' as const, name: '测试老人', relation: null, consentVersion: CURRENT_CONSENT_VERSION, consentHash: await consentHash(CURRENT_CONSENT_VERSION), signature: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==', signedAt: new Date().toISOString() };
		const photos = (['id_front', 'id_back', 'staff_with_customer', 'signed_document'] as const).map((kind, i) => ({ id: randomUUID(), kind, sha256: String(i).repeat(64), bytes: 300_000, takenAt: new Date().toISOString(), position: null }));
		const done = await push(user, dev, [
			mutation('visit.complete', visit.id, { photos, outcome: 'completed', note: '已办理', visitedAt: new Date(Date.now() - 60_000).toISOString(), consent, confirmedBy: [s1.id, s2.id] }, dev)
		]);
		expect(done.results[0]).toMatchObject({ status: 'applied' });
		const head = await sessionUserOf(t.db, 'head1');
		const [evidence] = await visitEvidence(t.db, head, { id: request.id, outletId: visit.outletId });
		expect(evidence.farCheckIn).toEqual({ maxM: config().checkInMaxDistanceM, reason: '居民在社区服务站等候' });
		expect(evidence.arrival).toMatchObject({ distanceM: 1132 });
	});
});
