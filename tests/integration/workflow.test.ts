import { describe, expect, it } from 'vitest';
import { getRequest } from '$lib/server/repos/requests';
import { getResident } from '$lib/server/repos/residents';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { listVisitsForRequest } from '$lib/server/repos/visits';
import {
	approveRequest,
	cancelRequest,
	markProcessed,
	recordOutcome,
	rejectRequest,
	reopenRequest,
	rescheduleVisit,
	revealIdNumber,
	submitRequest,
	timeline,
	WorkflowError
} from '$lib/server/workflow';
import { actor, expectRefused, freshSlot, newRequestInput, rowCounts, seedDemo } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

describe.each(DIALECTS)('workflow on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	// Demo layout: head1 ↔ staff1–3, worker1–3; head2 ↔ staff4–6, worker4–5; head3 ↔ staff7–8, worker6.
	const submitted = async (worker = 'worker1') => submitRequest(t.db, await actor(t.db, worker), newRequestInput());
	const approved = async () => {
		const request = await submitted();
		const [head, s1, s2] = await Promise.all([actor(t.db, 'head1'), actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		return approveRequest(t.db, head, request.id, freshSlot(s1.id, s2.id));
	};

	it('runs submit → approve → record outcome → process, with an audit trail', async () => {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const input = newRequestInput();
		const request = await submitRequest(t.db, worker, input);
		expect(request).toMatchObject({ status: 'submitted', version: 1, communityId: worker.communityId, outletId: head.outletId, consentBy: 'guardian', consentRelation: '女儿', consentRecordedBy: worker.id });
		expect(request.ref).toMatch(/^R\d{4}-\d{4}$/);
		expect(request.consentHash).toMatch(/^[0-9a-f]{64}$/);
		expect((await getResident(t.db, request.residentId))?.idNumber).toBe(input.resident!.idNumber);

		const { visit } = await approveRequest(t.db, head, request.id, { ...freshSlot(s1.id, s2.id), version: 1 });
		expect(await getRequest(t.db, request.id)).toMatchObject({ status: 'approved', version: 2 });
		expect(visit).toMatchObject({ status: 'scheduled', leadStaffId: s1.id, secondStaffId: s2.id });

		// The second member of the team may record, not only the lead.
		await recordOutcome(t.db, s2, request.id, { outcome: 'completed', note: '已办理' });
		expect(await getRequest(t.db, request.id)).toMatchObject({ status: 'completed', version: 3 });
		expect((await listVisitsForRequest(t.db, request.id))[0]).toMatchObject({ status: 'visited', outcome: 'completed', outcomeNote: '已办理' });

		// A tablet re-sending the outcome hears "already recorded", not "forbidden".
		await expectRefused(t.db, () => recordOutcome(t.db, s1, request.id, { outcome: 'completed' }), 'err_transition_visit_recorded', 409);
		await markProcessed(t.db, head, request.id);
		expect(await getRequest(t.db, request.id)).toMatchObject({ status: 'processed', version: 4 });

		const lines = await timeline(t.db, request.id);
		expect(lines.map((l) => [l.action, l.actorName])).toEqual([
			['submit', worker.displayName],
			['approve', head.displayName],
			['record_outcome', s2.displayName],
			['process', head.displayName]
		]);
		expect(lines.every((l) => l.at && l.seq > 0)).toBe(true);
		const everything = JSON.stringify(lines);
		expect(everything).not.toContain(input.resident!.idNumber);
		expect(everything).not.toContain(input.resident!.phone);
	});

	it('reuses a resident of the community found by ID number and updates the details', async () => {
		const worker = await actor(t.db, 'worker2');
		const first = newRequestInput();
		const a = await submitRequest(t.db, worker, first);
		const b = await submitRequest(t.db, worker, { ...first, resident: { ...first.resident!, phone: '13700001234' } });
		expect(b.residentId).toBe(a.residentId);
		expect((await getResident(t.db, a.residentId))?.phone).toBe('13700001234');
		expect(b.ref).not.toBe(a.ref);
	});

	it('refuses bad submissions and writes nothing', async () => {
		const [worker, head, otherWorker] = await Promise.all(['worker1', 'head1', 'worker4'].map((u) => actor(t.db, u)));
		const good = newRequestInput();
		const badId = { ...good.resident!, idNumber: good.resident!.idNumber.slice(0, 17) + (good.resident!.idNumber.endsWith('1') ? '2' : '1') };
		await expectRefused(t.db, () => submitRequest(t.db, head, good), 'err_forbidden', 403);
		await expectRefused(t.db, () => submitRequest(t.db, worker, { ...good, resident: badId }), 'err_resident_id_check_digit', 400);
		await expectRefused(t.db, () => submitRequest(t.db, worker, { ...good, consent: { ...good.consent, version: 'v0' } }), 'err_consent_version', 400);
		await expectRefused(t.db, () => submitRequest(t.db, worker, { ...good, consent: { ...good.consent, relation: ' ' } }), 'err_consent_relation', 400);
		await expectRefused(t.db, () => submitRequest(t.db, worker, { ...good, services: ['no_such'] }), 'err_unknown_service', 400);
		await expectRefused(t.db, () => submitRequest(t.db, worker, { ...good, windows: [{ date: '2020-01-01', start: '09:00', end: '10:00' }] }), 'err_window_in_past', 400);
		const foreign = await submitRequest(t.db, otherWorker, newRequestInput());
		await expectRefused(t.db, () => submitRequest(t.db, worker, { ...good, resident: null, residentId: foreign.residentId }), 'err_forbidden', 403);
	});

	it('refuses illegal transitions and writes nothing', async () => {
		const [head, s1] = await Promise.all([actor(t.db, 'head1'), actor(t.db, 'staff1')]);
		const request = await submitted();
		await expectRefused(t.db, () => markProcessed(t.db, head, request.id), 'err_transition_not_visited', 409);
		await expectRefused(t.db, () => recordOutcome(t.db, head, request.id, { outcome: 'completed' }), 'err_transition_not_scheduled', 409);
		await expectRefused(t.db, () => reopenRequest(t.db, head, request.id, freshSlot(s1.id, s1.id)), 'err_transition_not_visited', 409);

		const { request: done } = await approved();
		await expectRefused(t.db, () => approveRequest(t.db, head, done.id, freshSlot(s1.id, s1.id)), 'err_transition_already_decided', 409);
		await expectRefused(t.db, () => rejectRequest(t.db, head, done.id, { reason: 'x' }), 'err_transition_already_decided', 409);
		await expectRefused(t.db, () => recordOutcome(t.db, head, done.id, { outcome: 'bogus' as 'completed' }), 'err_transition_outcome_required', 409);
	});

	it('refuses to approve a rejected request', async () => {
		const [head, s1, s2] = await Promise.all(['head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitted();
		await expectRefused(t.db, () => rejectRequest(t.db, head, request.id, { reason: '  ' }), 'err_reason_required', 400);
		await rejectRequest(t.db, head, request.id, { reason: '请到网点办理' });
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, freshSlot(s1.id, s2.id)), 'err_transition_already_closed', 409);
		expect(await getRequest(t.db, request.id)).toMatchObject({ status: 'rejected', decisionReason: '请到网点办理' });
	});

	it('needs two distinct, free field staff of the same outlet', async () => {
		const [head, s1, s2, s4, head2] = await Promise.all(['head1', 'staff1', 'staff2', 'staff4', 'head2'].map((u) => actor(t.db, u)));
		const request = await submitted();
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, freshSlot(s1.id, s1.id)), 'err_same_staff', 400);
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, freshSlot(s1.id, s4.id)), 'err_staff_not_in_outlet', 400);
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, freshSlot(s1.id, head.id)), 'err_staff_not_in_outlet', 400);
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, freshSlot(s1.id, head2.id)), 'err_staff_not_in_outlet', 400);
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, { ...freshSlot(s1.id, s2.id), start: '11:00', end: '10:00' }), 'err_invalid_window', 400);

		const slot = freshSlot(s1.id, s2.id);
		const other = await submitted();
		await approveRequest(t.db, head, other.id, slot);
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, { ...slot, start: '09:30', end: '10:30' }), 'err_staff_busy', 409);
		await approveRequest(t.db, head, request.id, { ...slot, start: '10:00', end: '11:00' }); // back to back is fine
	});

	it('refuses actors outside the scope', async () => {
		const [head2, worker4, staff3, staff4, admin, s1, s2] = await Promise.all(
			['head2', 'worker4', 'staff3', 'staff4', 'admin', 'staff1', 'staff2'].map((u) => actor(t.db, u))
		);
		const request = await submitted();
		await expectRefused(t.db, () => approveRequest(t.db, head2, request.id, freshSlot(s1.id, s2.id)), 'err_forbidden', 403);
		await expectRefused(t.db, () => approveRequest(t.db, admin, request.id, freshSlot(s1.id, s2.id)), 'err_forbidden', 403);
		await expectRefused(t.db, () => rejectRequest(t.db, head2, request.id, { reason: 'x' }), 'err_forbidden', 403);
		await expectRefused(t.db, () => cancelRequest(t.db, worker4, request.id, { reason: 'x' }), 'err_forbidden', 403);
		await expectRefused(t.db, () => approveRequest(t.db, head2, 'no-such-id', freshSlot(s1.id, s2.id)), 'err_not_found', 404);

		const { request: scheduled } = await approved(); // team staff1 + staff2
		await expectRefused(t.db, () => recordOutcome(t.db, staff3, scheduled.id, { outcome: 'completed' }), 'err_forbidden', 403);
		await expectRefused(t.db, () => recordOutcome(t.db, staff4, scheduled.id, { outcome: 'completed' }), 'err_forbidden', 403);
		await expectRefused(t.db, () => recordOutcome(t.db, head2, scheduled.id, { outcome: 'completed' }), 'err_forbidden', 403);
		// The community worker may withdraw only before the outlet has decided.
		const worker1 = await actor(t.db, 'worker1');
		await expectRefused(t.db, () => cancelRequest(t.db, worker1, scheduled.id, { reason: 'x' }), 'err_cancel_needs_outlet', 403);
	});

	it('detects version conflicts: stale forms and concurrent decisions', async () => {
		const [head, s1, s2, s3] = await Promise.all(['head1', 'staff1', 'staff2', 'staff3'].map((u) => actor(t.db, u)));
		const request = await submitted();
		await expectRefused(t.db, () => approveRequest(t.db, head, request.id, { ...freshSlot(s1.id, s2.id), version: 7 }), 'err_version_conflict', 409);

		const results = await Promise.allSettled([
			approveRequest(t.db, head, request.id, { ...freshSlot(s1.id, s2.id), version: 1 }),
			rejectRequest(t.db, head, request.id, { reason: '重复申请', version: 1 }),
			approveRequest(t.db, head, request.id, { ...freshSlot(s2.id, s3.id), version: 1 })
		]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(ok).toHaveLength(1);
		for (const r of refused) {
			expect(r.reason).toBeInstanceOf(WorkflowError);
			expect((r.reason as WorkflowError).status).toBe(409);
		}
		const after = await getRequest(t.db, request.id);
		expect(after?.version).toBe(2);
		expect((await listVisitsForRequest(t.db, request.id)).length).toBe(after?.status === 'approved' ? 1 : 0);
	});

	it('reveals a full ID number to the owning outlet head only, and audits it', async () => {
		const [head, head2, staff1, worker] = await Promise.all(['head1', 'head2', 'staff1', 'worker1'].map((u) => actor(t.db, u)));
		const input = newRequestInput();
		const request = await submitRequest(t.db, worker, input);
		for (const other of [head2, staff1, worker]) {
			await expectRefused(t.db, () => revealIdNumber(t.db, other, request.residentId, request.id), 'err_forbidden', 403);
		}
		await expectRefused(t.db, () => revealIdNumber(t.db, head, 'someone-else', request.id), 'err_not_found', 404);
		expect(await revealIdNumber(t.db, head, request.residentId, request.id)).toEqual({ idNumber: input.resident!.idNumber });
		const entries = await listAuditForEntity(t.db, 'resident', request.residentId);
		const reveal = entries.filter((e) => e.action === 'reveal_id');
		expect(reveal).toHaveLength(1);
		expect(reveal[0]).toMatchObject({ actorId: head.id, outletId: head.outletId, details: { requestId: request.id, ref: request.ref } });
		expect(JSON.stringify(reveal[0])).not.toContain(input.resident!.idNumber);
	});

	it('reschedules, reopens after "not home", and cancels with the visit', async () => {
		const [head, s1, s2, s3] = await Promise.all(['head1', 'staff1', 'staff2', 'staff3'].map((u) => actor(t.db, u)));
		const { request, visit } = await approved();
		await expectRefused(t.db, () => rescheduleVisit(t.db, head, request.id, { ...freshSlot(s2.id, s3.id), reason: '' }), 'err_reason_required', 400);
		const moved = await rescheduleVisit(t.db, head, request.id, { ...freshSlot(s2.id, s3.id), reason: '家属要求改期' });
		expect(moved.visit).toMatchObject({ id: visit.id, leadStaffId: s2.id, secondStaffId: s3.id, version: 2 });
		expect(moved.request.version).toBe(3);

		await recordOutcome(t.db, s3, request.id, { outcome: 'not_home', note: '无人应答' });
		const again = await reopenRequest(t.db, head, request.id, freshSlot(s1.id, s2.id));
		expect(again.request.status).toBe('approved');
		expect((await listVisitsForRequest(t.db, request.id)).map((v) => v.status)).toEqual(['visited', 'scheduled']);

		await cancelRequest(t.db, head, request.id, { reason: '老人住院' });
		expect((await listVisitsForRequest(t.db, request.id)).map((v) => v.status)).toEqual(['visited', 'cancelled']);
		expect((await timeline(t.db, request.id)).map((l) => l.action)).toEqual(['submit', 'approve', 'reschedule', 'record_outcome', 'reopen', 'cancel']);
	});

	it('lets the community worker withdraw a submitted request', async () => {
		const worker = await actor(t.db, 'worker1');
		const request = await submitted();
		const before = await rowCounts(t.db);
		const cancelled = await cancelRequest(t.db, worker, request.id, { reason: '家属陪同到网点办理' });
		expect(cancelled).toMatchObject({ status: 'cancelled', version: 2, decisionReason: '家属陪同到网点办理' });
		expect((await rowCounts(t.db)).audit_log).toBe(before.audit_log + 1);
	});
});
