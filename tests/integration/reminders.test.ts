/*
 * Issue 15: SMS reminders through the database job queue, against the Alibaba Cloud SMS
 * stand-in on loopback (tests/fixtures/sms-stand-in.ts checks every signature). Both databases:
 * a reminder goes out once even with two workers (two connection pools, like two processes)
 * racing; a cancelled visit's reminder never goes out; failures back off exponentially and end
 * as dead jobs the admin is told about.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { addDays, shanghaiInstant } from '$lib/domain/calendar';
import { openDatabase, type Database } from '$lib/server/db';
import { aliyunSmsProvider } from '$lib/server/sms/aliyun';
import { runDueJobs } from '$lib/server/jobs/worker';
import { claimDue, listJobs } from '$lib/server/jobs/queue';
import { runReminderJob } from '$lib/server/sms/reminder-job';
import { applyMutation } from '$lib/server/sync/apply';
import { registerDevice } from '$lib/server/sync/devices';
import { listNotifications } from '$lib/server/notify/store';
import { deliveryLog } from '$lib/server/views/delivery-log';
import { approveRequest, cancelRequest, rescheduleVisit, submitRequest, WorkflowError } from '$lib/server/workflow';
import type { ReminderRecipient } from '$lib/domain/reminders';
import { startSmsStandIn, type SmsStandIn } from '../fixtures/sms-stand-in';
import { actor, freshSlot, newRequestInput, seedDemo, sessionUserOf } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

const KEY = { accessKeyId: 'LTAI-test-key', accessKeySecret: 'test-secret/with+odd=chars' };
const TEMPLATES = { dayBefore: 'SMS_DAY_BEFORE', eta: 'SMS_ETA' };

describe.each(DIALECTS)('SMS reminders and the job queue on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	let sms: SmsStandIn;
	let second: Kysely<Database>;
	beforeAll(async () => {
		sms = await startSmsStandIn(KEY);
		// PostgreSQL: a second pool, like another server process. SQLite: the queue is in-process
		// (one connection; a second one would only wait on the file lock), so workers share it.
		second = dialect === 'postgres' ? await openDatabase(t.options) : t.db;
	});
	afterAll(async () => {
		if (second !== t.db) await second?.destroy();
		await sms?.close();
	});

	const provider = (secret = KEY.accessKeySecret) => aliyunSmsProvider({ endpoint: sms.url, accessKeyId: KEY.accessKeyId, accessKeySecret: secret, signName: '工商银行', regionId: 'cn-hangzhou' });
	const deps = (at: Date, extra: { workerId?: string; secret?: string } = {}) => ({ workerId: extra.workerId, now: () => at, reminders: { provider: provider(extra.secret), templates: TEMPLATES, now: () => at, random: () => 0 } });

	async function approvedWithReminders(recipient: ReminderRecipient = 'resident') {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const input = newRequestInput({ reminders: { recipient } });
		const request = await submitRequest(t.db, worker, input);
		const slot = freshSlot(s1.id, s2.id);
		const approved = await approveRequest(t.db, head, request.id, slot);
		const jobs = await t.db.selectFrom('jobs').selectAll().where('visit_id', '=', approved.visit.id).execute();
		return { input, request: approved.request, visit: approved.visit, slot, head, jobs, dueAt: new Date(shanghaiInstant(addDays(slot.date, -1), '10:00')) };
	}
	const messagesFor = (outIdPart: string) => sms.messages.filter((m) => m.outId.includes(outIdPart));
	// Each test starts with an empty queue: jobs left by an earlier test (far-future slots that a
	// later test's clock has passed) would otherwise run in its worker passes.
	beforeEach(async () => {
		await t.db.updateTable('jobs').set({ status: 'cancelled' }).where('status', 'in', ['pending', 'running', 'sending']).execute();
	});

	it('sends the day-before reminder once, correctly signed, without the ID number; the phone only masked', async () => {
		const { input, request, visit, jobs, dueAt } = await approvedWithReminders();
		expect(jobs).toHaveLength(1);
		expect(jobs[0]).toMatchObject({ kind: 'sms_reminder', status: 'pending', due_at: dueAt.toISOString() });

		await runDueJobs(t.db, deps(new Date(dueAt.getTime() - 60_000)));
		expect(messagesFor(visit.id)).toEqual([]);
		expect(await runDueJobs(t.db, deps(new Date(dueAt.getTime() + 1000)))).toEqual(['sent']);
		const [message] = messagesFor(visit.id);
		expect(message).toMatchObject({ phone: input.resident!.phone, signName: '工商银行', templateCode: 'SMS_DAY_BEFORE', params: { start: '09:00', end: '10:00', outlet: expect.stringContaining('城厢') } });
		expect(JSON.stringify(message)).not.toContain(input.resident!.idNumber);
		expect(sms.refused).toEqual([]);

		// Again: nothing more goes out.
		expect(await runDueJobs(t.db, deps(new Date(dueAt.getTime() + 120_000)))).toEqual([]);
		expect(messagesFor(visit.id)).toHaveLength(1);

		const log = await deliveryLog(t.db, request.id);
		expect(log).toMatchObject({ recipient: 'resident', pending: 0, lines: [{ kind: 'reminder_day_before', status: 'sent', phoneMasked: expect.stringMatching(/^138\*{4}\d{4}$/) }] });
		const audit = await t.db.selectFrom('audit_log').select('details').where('entity_id', '=', request.id).where('action', '=', 'reminder_sent').execute();
		expect(audit).toHaveLength(1);
		expect(audit[0].details).not.toContain(input.resident!.phone);
	});

	it('two workers racing (two connection pools) send each reminder once', async () => {
		const batch = await Promise.all([0, 1, 2, 3].map(() => approvedWithReminders()));
		// All due at once (the earliest one's time), so every worker pass finds all four.
		const dueAt = new Date(Math.min(...batch.map((b) => b.dueAt.getTime())));
		await t.db.updateTable('jobs').set({ due_at: dueAt.toISOString() }).where('visit_id', 'in', batch.map((b) => b.visit.id)).execute();
		const at = new Date(dueAt.getTime() + 1000);
		sms.delayMs = 30;
		try {
			// Each worker claims one job per pass until none is left, all three at the same time.
			const drain = async (db: Kysely<Database>, workerId: string) => {
				const outcomes: string[] = [];
				for (let pass = 0; pass < 10; pass++) {
					const got = await runDueJobs(db, deps(at, { workerId }), { limit: 1 });
					if (!got.length) break;
					outcomes.push(...got);
				}
				return outcomes;
			};
			const outcomes = await Promise.all([drain(t.db, 'A'), drain(second, 'B'), drain(t.db, 'C')]);
			expect(outcomes.flat().sort()).toEqual(['sent', 'sent', 'sent', 'sent']);
		} finally {
			sms.delayMs = 0;
		}
		for (const b of batch) expect(messagesFor(b.visit.id)).toHaveLength(1);
	});

	it('a worker whose lease ran out does not send what another worker took over', async () => {
		const { visit, dueAt } = await approvedWithReminders();
		const claimedByA = (await claimDue(t.db, 'A', new Date(dueAt.getTime() + 1000), { leaseMs: 60_000 })).find((j) => j.visitId === visit.id)!;
		expect(claimedByA).toBeDefined();
		// A stalls past its lease; B claims the job again and sends it.
		const later = new Date(dueAt.getTime() + 120_000);
		expect(await runDueJobs(second, deps(later, { workerId: 'B' }))).toContain('sent');
		// A wakes up: the job is no longer its own.
		expect(await runReminderJob(t.db, claimedByA, 'A', deps(later).reminders)).toBe('cancelled');
		expect(messagesFor(visit.id)).toHaveLength(1);
	});

	it('a cancelled visit’s reminder never goes out, even when a worker had already claimed it', async () => {
		const first = await approvedWithReminders();
		await cancelRequest(t.db, first.head, first.request.id, { reason: '老人住院' });
		expect(await t.db.selectFrom('jobs').select('status').where('visit_id', '=', first.visit.id).execute()).toEqual([{ status: 'cancelled' }]);
		await runDueJobs(t.db, deps(new Date(first.dueAt.getTime() + 1000)));
		expect(messagesFor(first.visit.id)).toEqual([]);
		expect((await deliveryLog(t.db, first.request.id)).lines).toMatchObject([{ status: 'skipped', reason: 'visit_cancelled' }]);

		const claimedFirst = await approvedWithReminders();
		const at = new Date(claimedFirst.dueAt.getTime() + 1000);
		const job = (await claimDue(t.db, 'W', at)).find((j) => j.visitId === claimedFirst.visit.id)!;
		await cancelRequest(t.db, claimedFirst.head, claimedFirst.request.id, { reason: '家属改变主意' });
		expect(await runReminderJob(t.db, job, 'W', deps(at).reminders)).not.toBe('sent');
		expect(messagesFor(claimedFirst.visit.id)).toEqual([]);
	});

	it('rescheduling cancels the old slot’s reminder and schedules the new one', async () => {
		const { request, visit, slot, head } = await approvedWithReminders();
		const date = addDays(slot.date, 2);
		await rescheduleVisit(t.db, head, request.id, { ...slot, date, start: '18:00', end: '19:00', reason: '改期', version: request.version });
		const jobs = await t.db.selectFrom('jobs').select(['status', 'due_at', 'payload']).where('visit_id', '=', visit.id).orderBy('created_at').execute();
		expect(jobs.map((j) => j.status)).toEqual(['cancelled', 'pending']);
		expect(jobs[1].due_at).toBe(shanghaiInstant(addDays(date, -1), '10:00'));
		expect(JSON.parse(jobs[1].payload)).toMatchObject({ date, start: '18:00', end: '19:00' });
		expect((await deliveryLog(t.db, request.id)).lines).toMatchObject([{ status: 'skipped', reason: 'visit_changed' }]);
	});

	it('failures back off exponentially, then the job is dead, logged and the admin is told', async () => {
		const { request, visit, dueAt } = await approvedWithReminders();
		sms.failNext(6, { status: 503, code: 'ServiceUnavailable' });
		let at = new Date(dueAt.getTime() + 1000);
		const gaps: number[] = [];
		for (let attempt = 1; attempt <= 6; attempt++) {
			const outcomes = await runDueJobs(t.db, deps(at));
			expect(outcomes).toEqual([attempt < 6 ? 'retry' : 'dead']);
			const [job] = await t.db.selectFrom('jobs').selectAll().where('visit_id', '=', visit.id).execute();
			expect(job.attempts).toBe(attempt);
			if (attempt < 6) {
				gaps.push(Date.parse(job.due_at) - at.getTime());
				// Not due before its back-off.
				expect(await runDueJobs(t.db, deps(new Date(Date.parse(job.due_at) - 1000)))).toEqual([]);
				at = new Date(Date.parse(job.due_at) + 1000);
			} else expect(job).toMatchObject({ status: 'dead', last_error: 'ServiceUnavailable' });
		}
		expect(gaps).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
		expect(messagesFor(visit.id)).toEqual([]);
		expect((await listJobs(t.db, { statuses: ['dead'] })).map((j) => j.visitId)).toContain(visit.id);
		const admin = await actor(t.db, 'admin');
		expect((await listNotifications(t.db, admin.id)).find((n) => n.code === 'reminder_failed')).toMatchObject({ params: { ref: request.ref, reasonCode: 'ServiceUnavailable' }, link: '/admin/jobs' });
		const lines = (await deliveryLog(t.db, request.id)).lines;
		expect(lines.map((l) => l.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'failed']);
	});

	it('the stand-in refuses a wrong signature: a permanent failure, nothing recorded as sent', async () => {
		const { visit, dueAt } = await approvedWithReminders();
		const refusedBefore = sms.refused.length;
		expect(await runDueJobs(t.db, deps(new Date(dueAt.getTime() + 1000), { secret: 'not-the-secret' }))).toEqual(['dead']);
		expect(sms.refused.slice(refusedBefore)).toEqual(['SignatureDoesNotMatch']);
		expect(messagesFor(visit.id)).toEqual([]);
	});

	it('the contact’s number when chosen; refused without one; skipped without a provider', async () => {
		const { input, visit, dueAt, request } = await approvedWithReminders('contact');
		await runDueJobs(t.db, deps(new Date(dueAt.getTime() + 1000)));
		expect(messagesFor(visit.id).map((m) => m.phone)).toEqual([input.resident!.contactPhone]);

		const worker = await actor(t.db, 'worker1');
		const noContact = newRequestInput({ reminders: { recipient: 'contact' } });
		noContact.resident!.contactPhone = null;
		await expect(submitRequest(t.db, worker, noContact)).rejects.toSatisfy((e) => e instanceof WorkflowError && e.code === 'err_reminder_contact_phone');

		const other = await approvedWithReminders();
		const at = new Date(other.dueAt.getTime() + 1000);
		expect(await runDueJobs(t.db, { now: () => at, reminders: { provider: null, templates: TEMPLATES, now: () => at } })).toEqual(['skipped']);
		expect((await deliveryLog(t.db, other.request.id)).lines).toMatchObject([{ status: 'skipped', reason: 'not_configured' }]);
		expect(request.id).not.toBe(other.request.id);
	});

	it('the ETA reminder goes out when the team starts travelling (sync apply), once', async () => {
		const { visit } = await approvedWithReminders();
		const staff1 = await sessionUserOf(t.db, 'staff1');
		const device = await registerDevice(t.db, staff1.id, 'tablet 1');
		const now = new Date();
		const travel = (id: string) => applyMutation(t.db, { user: staff1, deviceId: device.id, now }, { id, type: 'visit.start_travel', entityId: visit.id, baseVersion: visit.version, payload: { at: now.toISOString() }, createdAt: now.toISOString(), deviceId: device.id });
		expect(await travel(randomUUID())).toMatchObject({ status: 'applied' });
		expect(await travel(randomUUID())).toMatchObject({ status: 'applied' }); // a second tablet's tap
		await runDueJobs(t.db, deps(new Date(now.getTime() + 1000)));
		const eta = messagesFor(visit.id).filter((m) => m.templateCode === 'SMS_ETA');
		expect(eta).toHaveLength(1);
		expect(eta[0].params).toEqual({ time: expect.stringMatching(/^\d\d:\d\d$/), outlet: expect.stringContaining('城厢') });
	});
});
