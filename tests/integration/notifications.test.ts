/*
 * Issue 15: each event creates exactly the expected notifications for exactly the right users
 * (compared over ALL users: nobody else gets anything), in the event's transaction (a refused
 * event leaves none), readable and markable only by their owner; field notices reach the
 * tablet once through the pull.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { applyMutation } from '$lib/server/sync/apply';
import { registerDevice } from '$lib/server/sync/devices';
import { handleWiped } from '$lib/server/sync/http';
import { DEVICE_HEADER } from '$lib/client/sync/protocol';
import { pullChanges } from '$lib/server/sync/pull';
import { revokeDeviceAsAdmin } from '$lib/server/security/device-admin';
import { countUnread, listNotifications, markAllRead, markRead, newestNotificationAt, notifyUsers } from '$lib/server/notify/store';
import { sweepDeadlines } from '$lib/server/notify/sla-sweep';
import {
	approveRequest,
	cancelRequest,
	recordOutcome,
	rejectRequest,
	reopenRequest,
	rescheduleVisit,
	reviewEvidence,
	submitRequest
} from '$lib/server/workflow';
import { actor, freshSlot, newRequestInput, seedDemo, sessionUserOf, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

describe.each(DIALECTS)('notifications on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	const seen = new Set<string>();

	/** `username:code` of every notification written since the last call, sorted. */
	async function newNotifications(): Promise<string[]> {
		const rows = await t.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['notifications.id', 'users.username', 'notifications.code']).execute();
		const fresh = rows.filter((r) => !seen.has(r.id));
		for (const r of fresh) seen.add(r.id);
		return fresh.map((r) => `${r.username}:${r.code}`).sort();
	}

	it('tells the outlet head of a new request, the worker and the team of the approval', async () => {
		await newNotifications();
		const [worker, head, s1, s2] = await Promise.all([actor(t.db, 'worker1'), actor(t.db, 'head1'), actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const request = await submitRequest(t.db, worker, newRequestInput());
		expect(await newNotifications()).toEqual(['head1:request_new']);

		const slot = freshSlot(s1.id, s2.id);
		await approveRequest(t.db, head, request.id, slot);
		expect(await newNotifications()).toEqual(['staff1:visit_new', 'staff2:visit_new', 'worker1:request_approved']);

		const [approved] = await listNotifications(t.db, worker.id);
		expect(approved).toMatchObject({ code: 'request_approved', link: `/requests/${request.id}`, params: { ref: request.ref, date: slot.date, start: '09:00', end: '10:00' } });
	});

	it('a refused event leaves no notification (same transaction)', async () => {
		await newNotifications();
		const [worker, head, s1, s2] = await Promise.all([actor(t.db, 'worker1'), actor(t.db, 'head1'), actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const request = await submitRequest(t.db, worker, newRequestInput());
		await newNotifications();
		// Another outlet's head may not approve; a stale version is refused: nothing is written.
		await expect(approveRequest(t.db, await actor(t.db, 'head2'), request.id, freshSlot(s1.id, s2.id))).rejects.toMatchObject({ code: 'err_forbidden' });
		await expect(approveRequest(t.db, head, request.id, { ...freshSlot(s1.id, s2.id), version: request.version + 5 })).rejects.toMatchObject({ code: 'err_version_conflict' });
		expect(await newNotifications()).toEqual([]);
	});

	it('rejection, cancellation and outcomes go to the worker; a tablet’s outcome asks the head to review', async () => {
		await newNotifications();
		const [worker, head, s1, s2, s3] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2', 'staff3'].map((u) => actor(t.db, u)));

		const rejected = await submitRequest(t.db, worker, newRequestInput());
		await newNotifications();
		await rejectRequest(t.db, head, rejected.id, { reason: '不在服务范围，请联系 13812345678' });
		expect(await newNotifications()).toEqual(['worker1:request_rejected']);
		const [rejection] = await listNotifications(t.db, worker.id);
		// The head's words are kept, but not a phone number typed into them.
		expect(rejection.params.reason).toMatch(/^不在服务范围，请联系 /);
		expect(String(rejection.params.reason)).not.toContain('13812345678');

		// The worker withdrawing their own request is not told about it; nobody else is either.
		const own = await submitRequest(t.db, worker, newRequestInput());
		await newNotifications();
		await cancelRequest(t.db, worker, own.id, { reason: '家属已陪同去网点' });
		expect(await newNotifications()).toEqual([]);

		const cancelled = await submitRequest(t.db, worker, newRequestInput());
		await approveRequest(t.db, head, cancelled.id, freshSlot(s1.id, s2.id));
		await newNotifications();
		await cancelRequest(t.db, head, cancelled.id, { reason: '老人住院' });
		expect(await newNotifications()).toEqual(['staff1:visit_cancelled', 'staff2:visit_cancelled', 'worker1:request_cancelled']);

		// Outcome recorded by the head: the worker hears it, nobody is asked to review.
		const byHead = await submitRequest(t.db, worker, newRequestInput());
		await approveRequest(t.db, head, byHead.id, freshSlot(s1.id, s3.id));
		await newNotifications();
		await recordOutcome(t.db, head, byHead.id, { outcome: 'not_home' });
		expect(await newNotifications()).toEqual(['worker1:visit_outcome']);
		// …and reopened with a new visit.
		await reopenRequest(t.db, head, byHead.id, freshSlot(s1.id, s3.id));
		expect(await newNotifications()).toEqual(['staff1:visit_new', 'staff3:visit_new', 'worker1:request_reopened']);

		// Outcome recorded by the team: the head reviews; sending back tells the team.
		const byTeam = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, byTeam.id, freshSlot(s1.id, s2.id));
		await newNotifications();
		await recordOutcome(t.db, s1, byTeam.id, { outcome: 'completed' });
		expect(await newNotifications()).toEqual(['head1:evidence_ready', 'worker1:visit_outcome']);
		await reviewEvidence(t.db, head, byTeam.id, { visitId: visit.id, decision: 'sent_back', reason: '照片模糊' });
		expect(await newNotifications()).toEqual(['staff1:visit_sent_back', 'staff2:visit_sent_back']);
		await reviewEvidence(t.db, head, byTeam.id, { visitId: visit.id, decision: 'accepted' });
		expect(await newNotifications()).toEqual([]);
	});

	it('a moved visit: same team hears "moved", a new member "new", the one taken off "cancelled"', async () => {
		const [worker, head, s1, s2, s3] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2', 'staff3'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const slot = freshSlot(s1.id, s2.id);
		const { request: approved } = await approveRequest(t.db, head, request.id, slot);
		await newNotifications();
		// Another day and hour than any fresh slot of the other tests (no err_staff_busy).
		const later = { ...slot, date: addDays(slot.date, 1), start: '18:00', end: '19:00' };
		const moved = await rescheduleVisit(t.db, head, request.id, { ...later, reason: '老人要求改天', version: approved.version });
		expect(await newNotifications()).toEqual(['staff1:visit_moved', 'staff2:visit_moved', 'worker1:request_rescheduled']);
		await rescheduleVisit(t.db, head, request.id, { ...later, secondStaffId: s3.id, reason: '换人', version: moved.request.version });
		expect(await newNotifications()).toEqual(['staff2:visit_cancelled', 'staff3:visit_new', 'worker1:request_rescheduled']);
	});

	it('a tablet’s refused change goes to the heads of the visit’s outlet; a revoked and wiped tablet to the admin', async () => {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, request.id, freshSlot(s1.id, s2.id));
		await newNotifications();
		const staff3 = await sessionUserOf(t.db, 'staff3'); // same outlet, not on this visit's team
		const device = await registerDevice(t.db, staff3.id, 'tablet 3');
		const now = new Date();
		const result = await applyMutation(t.db, { user: staff3, deviceId: device.id, now }, { id: randomUUID(), type: 'visit.start_travel', entityId: visit.id, baseVersion: visit.version, payload: { at: now.toISOString() }, createdAt: now.toISOString(), deviceId: device.id });
		expect(result).toMatchObject({ status: 'rejected', reason: 'err_forbidden' });
		expect(await newNotifications()).toEqual(['head1:sync_refused']);

		await revokeDeviceAsAdmin(t.db, await sessionUserOf(t.db, 'admin'), device.id);
		expect(await newNotifications()).toEqual(['admin:device_revoked']);
		const report = new Request('http://127.0.0.1/api/sync/wiped', { method: 'POST', headers: { 'content-type': 'application/json', [DEVICE_HEADER]: device.id }, body: JSON.stringify({ unsyncedMutations: 0, unsyncedPhotos: 1 }) });
		expect((await handleWiped(t.db, staff3, report)).status).toBe(200);
		expect(await newNotifications()).toEqual(['admin:device_wiped']);
		expect((await listNotifications(t.db, (await actor(t.db, 'admin')).id))[0].params).toEqual({ label: 'tablet 3', username: 'staff3', unsynced: 1 });
	});

	it('time limits ending today or passed: one notice per head and deadline, however often the sweep runs', async () => {
		await newNotifications();
		const first = await sweepDeadlines(t.db);
		const fresh = await newNotifications();
		expect(fresh.length).toBe(first);
		expect(first).toBeGreaterThan(0); // the demo data has requests near and past their limits
		expect(new Set(fresh.map((n) => n.split(':')[0].replace(/\d+$/, '')))).toEqual(new Set(['head']));
		expect(await sweepDeadlines(t.db)).toBe(0);
		expect(await newNotifications()).toEqual([]);
	});

	it('only the owner reads and marks a notification; mark all read empties the count', async () => {
		const head = await actor(t.db, 'head1');
		const other = await actor(t.db, 'head2');
		const mine = await listNotifications(t.db, head.id);
		expect(mine.length).toBeGreaterThan(0);
		expect(mine.map((n) => n.createdAt)).toEqual([...mine.map((n) => n.createdAt)].sort().reverse());
		const unread = await countUnread(t.db, head.id);
		expect(await markRead(t.db, other.id, mine[0].id)).toBe(false);
		expect(await countUnread(t.db, head.id)).toBe(unread);
		expect(await markRead(t.db, head.id, mine[0].id)).toBe(true);
		expect(await countUnread(t.db, head.id)).toBe(unread - 1);
		// What the list showed is marked read; a notice that arrived after it stays unread.
		const shown = await newestNotificationAt(t.db, head.id);
		await notifyUsers(t.db, [head.id], { code: mine[0].code, params: mine[0].params }, new Date(Date.parse(shown!) + 1000));
		expect(await markAllRead(t.db, head.id, shown!)).toBe(unread - 1);
		expect(await countUnread(t.db, head.id)).toBe(1);
		expect(await markAllRead(t.db, head.id, (await newestNotificationAt(t.db, head.id))!)).toBe(1);
		expect(await countUnread(t.db, head.id)).toBe(0);
	});

	it('field staff get new, moved and cancelled visits as notices in the pull, each once', async () => {
		const [worker, head, s4, s5] = await Promise.all(['worker4', 'head2', 'staff4', 'staff5'].map((u) => actor(t.db, u)));
		const staff4 = await sessionUserOf(t.db, 'staff4');
		const first = await pullChanges(t.db, staff4, null);
		const date = addDays(today(), 2);
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { request: approved } = await approveRequest(t.db, head, request.id, { date, start: '15:00', end: '16:00', leadStaffId: s4.id, secondStaffId: s5.id });
		const afterApprove = await pullChanges(t.db, staff4, first.cursor);
		expect(afterApprove.notices?.map((n) => [n.code, n.params.ref])).toEqual([['visit_new', request.ref]]);
		expect(afterApprove.notices?.[0]).toMatchObject({ params: { date, start: '15:00', end: '16:00' } });
		// Sent once: the next pull with the new cursor has nothing more.
		expect((await pullChanges(t.db, staff4, afterApprove.cursor)).notices).toEqual([]);

		await rescheduleVisit(t.db, head, request.id, { date, start: '16:00', end: '17:00', leadStaffId: s4.id, secondStaffId: s5.id, reason: '改时间', version: approved.version });
		const afterMove = await pullChanges(t.db, staff4, afterApprove.cursor);
		expect(afterMove.notices?.map((n) => n.code)).toEqual(['visit_moved']);
		await cancelRequest(t.db, head, request.id, { reason: '取消' });
		const afterCancel = await pullChanges(t.db, staff4, afterMove.cursor);
		expect(afterCancel.notices?.map((n) => n.code)).toEqual(['visit_cancelled']);
		expect(afterCancel.withdrawn).toContain(afterApprove.visits.find((v) => v.requestId === request.id)?.id);
		// Another team member's notices never reach this user.
		const staff6 = await sessionUserOf(t.db, 'staff6');
		expect((await pullChanges(t.db, staff6, null)).notices?.filter((n) => n.params.ref === request.ref)).toEqual([]);
	});
});
