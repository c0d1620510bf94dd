/*
 * Sends one reminder job. Three steps:
 *  1. in one transaction: check the visit is still that slot and scheduled, the opt-in and the
 *     number are there, then mark the job `sending` (beginSideEffect) — the decision and the
 *     point of no return commit together, so a cancel either happened before (nothing sent) or
 *     after (this message was already on its way);
 *  2. call the provider, outside any transaction;
 *  3. record the result: `sent` (once: the delivery line's idempotency key is the job's), or a
 *     failed attempt (retried with back-off; the last one makes the job dead and tells admins).
 * The message holds the date, window, outlet and expected time only; the phone number goes to
 * the provider and nowhere else (logs, audit and the delivery log have it masked).
 */
import { maskPhone } from '$lib/domain/privacy';
import { shanghaiInstant } from '$lib/domain/calendar';
import type { SkipReason } from '$lib/domain/reminders';
import { recordAudit } from '$lib/server/audit';
import type { Db } from '$lib/server/repos/common';
import { inTransaction } from '$lib/server/workflow/context';
import { beginSideEffect, completeJob, failJob, type Job } from '$lib/server/jobs/queue';
import { notifyUsers } from '$lib/server/notify/store';
import { admins } from '$lib/server/notify/recipients';
import type { SmsProvider } from './provider';
import { logDelivery, type ReminderPayload } from './reminders';

export interface ReminderDeps {
	provider: SmsProvider | null;
	templates: { dayBefore: string; eta: string };
	now?: () => Date;
	random?: () => number;
}

type Prepared = { skip: SkipReason } | { cancelled: true } | { phone: string; templateCode: string; params: Record<string, string>; outletId: string; ref: string };

async function prepare(tx: Db, job: Job, workerId: string, deps: ReminderDeps, now: Date): Promise<Prepared> {
	const p = job.payload as unknown as ReminderPayload;
	const visit = job.visitId ? await tx.selectFrom('visits').selectAll().where('id', '=', job.visitId).executeTakeFirst() : undefined;
	if (!visit || visit.status === 'cancelled') return { skip: 'visit_cancelled' };
	if (visit.status !== 'scheduled' || visit.date !== p.date || visit.window_start !== p.start) return { skip: 'visit_changed' };
	if (p.reminder === 'reminder_day_before' && now.getTime() >= Date.parse(shanghaiInstant(p.date, p.start))) return { skip: 'too_late' };
	const consent = await tx.selectFrom('reminder_consents').select('recipient').where('request_id', '=', visit.request_id).executeTakeFirst();
	if (!consent) return { skip: 'no_consent' };
	const row = await tx
		.selectFrom('requests')
		.innerJoin('residents', 'residents.id', 'requests.resident_id')
		.innerJoin('outlets', 'outlets.id', 'requests.outlet_id')
		.select(['requests.ref', 'residents.phone', 'residents.contact_phone', 'outlets.name as outletName', 'outlets.id as outletId'])
		.where('requests.id', '=', visit.request_id)
		.executeTakeFirst();
	const phone = (consent.recipient === 'contact' ? row?.contact_phone : row?.phone)?.trim();
	if (!row || !phone) return { skip: 'no_phone' };
	if (!deps.provider) return { skip: 'not_configured' };
	if (!(await beginSideEffect(tx, job, workerId, now))) return { cancelled: true };
	const params: Record<string, string> =
		p.reminder === 'reminder_eta'
			? { time: p.eta ?? p.start, outlet: row.outletName }
			: { date: p.date.slice(5), start: p.start, end: p.end, outlet: row.outletName };
	return { phone, templateCode: p.reminder === 'reminder_eta' ? deps.templates.eta : deps.templates.dayBefore, params, outletId: row.outletId, ref: row.ref };
}

export async function runReminderJob(db: Db, job: Job, workerId: string, deps: ReminderDeps): Promise<'sent' | 'skipped' | 'cancelled' | 'retry' | 'dead'> {
	const clock = deps.now ?? (() => new Date());
	const kind = (job.payload as unknown as ReminderPayload).reminder;
	const requestId = job.requestId ?? '';
	const prepared = await inTransaction(db, async (tx) => {
		const now = clock();
		const result = await prepare(tx, job, workerId, deps, now);
		if ('skip' in result) {
			await logDelivery(tx, { requestId, visitId: job.visitId, jobId: job.id, kind, status: 'skipped', reason: result.skip }, now);
			await completeJob(tx, job, workerId, now);
		}
		return result;
	});
	if ('skip' in prepared) return 'skipped';
	if ('cancelled' in prepared) return 'cancelled';

	const masked = maskPhone(prepared.phone);
	const result = await deps.provider!.send({ phone: prepared.phone, templateCode: prepared.templateCode, params: prepared.params, outId: job.key });
	return inTransaction(db, async (tx) => {
		const now = clock();
		if (result.ok) {
			await logDelivery(tx, { requestId, visitId: job.visitId, jobId: job.id, kind, status: 'sent', phoneMasked: masked, providerRef: result.providerRef, idempotencyKey: job.key }, now);
			await recordAudit(tx, { actorId: null, action: 'reminder_sent', entity: 'request', entityId: requestId, outletId: prepared.outletId, at: now, details: { kind, to: masked, visitId: job.visitId } });
			await completeJob(tx, job, workerId, now);
			console.log(`[doorstep] sms ${kind} for ${prepared.ref} sent to ${masked}`);
			return 'sent';
		}
		const outcome = await failJob(tx, job, workerId, result.code, now, { permanent: !result.retry, random: deps.random });
		await logDelivery(tx, { requestId, visitId: job.visitId, jobId: job.id, kind, status: 'failed', reason: result.code, phoneMasked: masked }, now);
		console.warn(`[doorstep] sms ${kind} for ${prepared.ref} to ${masked} failed: ${result.code} (${outcome})`);
		if (outcome === 'dead') {
			await notifyUsers(tx, await admins(tx), { code: 'reminder_failed', params: { ref: prepared.ref, reasonCode: result.code }, link: '/admin/jobs', entity: 'job', entityId: job.id }, now);
		}
		return outcome;
	});
}
