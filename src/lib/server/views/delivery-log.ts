/*
 * The SMS reminders of one request as its outlet head sees them (issue 15): the opt-in (whose
 * number), each delivery line (sent / failed / skipped with reason), how many wait. Numbers
 * are stored masked only; the caller has already checked the request is in the head's scope.
 */
import type { DeliveryLine, DeliveryLogView } from '$lib/domain/reminders';
import type { Db } from '$lib/server/repos/common';
import { reminderRecipient, SMS_JOB } from '$lib/server/sms/reminders';

export type { DeliveryLine, DeliveryLogView };

export async function deliveryLog(db: Db, requestId: string): Promise<DeliveryLogView> {
	const [recipient, rows, pending] = await Promise.all([
		reminderRecipient(db, requestId),
		db.selectFrom('delivery_log').select(['at', 'kind', 'status', 'reason', 'phone_masked']).where('request_id', '=', requestId).orderBy('at', 'desc').limit(100).execute(),
		db.selectFrom('jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('request_id', '=', requestId).where('kind', '=', SMS_JOB).where('status', 'in', ['pending', 'running', 'sending']).executeTakeFirstOrThrow()
	]);
	return {
		recipient,
		lines: rows.map((r) => ({ at: r.at, kind: r.kind, status: r.status as DeliveryLine['status'], reason: r.reason, phoneMasked: r.phone_masked })),
		pending: Number(pending.n)
	};
}
