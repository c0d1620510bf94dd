/*
 * Customer SMS reminders: scheduled by the workflow (inside its transaction) as jobs of kind
 * `sms_reminder`, sent by the job worker (./reminder-job.ts). Only requests whose consent
 * recorded the opt-in (`reminder_consents`) get any; rescheduling cancels the old slot's
 * pending reminder and schedules the new one, cancelling the visit cancels them.
 */
import { dayBeforeDueAt, etaAt, reminderKey, type ReminderKind, type ReminderRecipient, type SkipReason } from '$lib/domain/reminders';
import { localTime } from '$lib/domain/calendar';
import { newId, type Db } from '$lib/server/repos/common';
import { cancelVisitJobs, enqueue, type Job } from '$lib/server/jobs/queue';

export const SMS_JOB = 'sms_reminder';

export interface ReminderPayload {
	reminder: ReminderKind;
	date: string;
	start: string;
	end: string;
	/** `HH:MM`, the expected arrival (ETA reminder only). */
	eta?: string;
}

interface VisitSlot {
	id: string;
	requestId: string;
	date: string;
	windowStart: string;
	windowEnd: string;
}

export async function reminderRecipient(db: Db, requestId: string): Promise<ReminderRecipient | null> {
	const row = await db.selectFrom('reminder_consents').select('recipient').where('request_id', '=', requestId).executeTakeFirst();
	return row ? (row.recipient as ReminderRecipient) : null;
}

/** Records the opt-in given with the request's consent (submit's transaction). */
export async function recordReminderConsent(db: Db, requestId: string, recipient: ReminderRecipient, actorId: string, now: Date): Promise<void> {
	await db.insertInto('reminder_consents').values({ request_id: requestId, recipient, recorded_at: now.toISOString(), recorded_by: actorId }).execute();
}

/** The day-before reminder of a (new or moved) visit, if the customer opted in. */
export async function scheduleDayBefore(db: Db, visit: VisitSlot, now: Date): Promise<boolean> {
	if (!(await reminderRecipient(db, visit.requestId))) return false;
	const dueAt = dayBeforeDueAt(visit.date, now);
	if (!dueAt) return false;
	const payload: ReminderPayload = { reminder: 'reminder_day_before', date: visit.date, start: visit.windowStart, end: visit.windowEnd };
	return enqueue(db, { kind: SMS_JOB, key: reminderKey('reminder_day_before', visit.id, { date: visit.date, start: visit.windowStart }), payload: { ...payload }, dueAt, requestId: visit.requestId, visitId: visit.id }, now);
}

/** The "on our way, expected at HH:MM" reminder when the team starts travelling (sync apply). */
export async function scheduleEta(db: Db, visit: VisitSlot, startedAt: string, now: Date): Promise<boolean> {
	if (!(await reminderRecipient(db, visit.requestId))) return false;
	const plan = await db.selectFrom('visit_plans').select('planned_arrival').where('visit_id', '=', visit.id).executeTakeFirst();
	const eta = localTime(etaAt(startedAt, plan?.planned_arrival ?? null, visit.date));
	const payload: ReminderPayload = { reminder: 'reminder_eta', date: visit.date, start: visit.windowStart, end: visit.windowEnd, eta };
	return enqueue(db, { kind: SMS_JOB, key: reminderKey('reminder_eta', visit.id, { date: visit.date, start: visit.windowStart }), payload: { ...payload }, dueAt: now.toISOString(), requestId: visit.requestId, visitId: visit.id }, now);
}

export async function logDelivery(
	db: Db,
	entry: { requestId: string; visitId: string | null; jobId: string | null; kind: string; status: 'sent' | 'failed' | 'skipped'; reason?: string | null; phoneMasked?: string | null; providerRef?: string | null; idempotencyKey?: string | null },
	now: Date
): Promise<void> {
	await db
		.insertInto('delivery_log')
		.values({
			id: newId(),
			request_id: entry.requestId,
			visit_id: entry.visitId,
			job_id: entry.jobId,
			idempotency_key: entry.idempotencyKey ?? null,
			kind: entry.kind,
			status: entry.status,
			reason: entry.reason ?? null,
			phone_masked: entry.phoneMasked ?? null,
			provider_ref: entry.providerRef ?? null,
			at: now.toISOString()
		})
		.onConflict((oc) => oc.column('idempotency_key').doNothing())
		.execute();
}

/** Cancels the visit's reminders that have not gone out; each gets a "skipped" line. */
export async function cancelReminders(db: Db, visitId: string, reason: SkipReason, now: Date): Promise<Job[]> {
	const cancelled = await cancelVisitJobs(db, visitId, now, { kinds: [SMS_JOB] });
	for (const job of cancelled) {
		const kind = (job.payload as Partial<ReminderPayload>).reminder ?? 'reminder_day_before';
		await logDelivery(db, { requestId: job.requestId ?? '', visitId, jobId: job.id, kind, status: 'skipped', reason }, now);
	}
	return cancelled;
}
