/*
 * SMS reminders to the customer (pure). Opt-in is recorded with the request's consent: whose
 * number (the resident's or the contact's). Two reminders per visit: the day before at
 * REMINDER_DAY_BEFORE_AT, and when the team starts travelling (with the expected arrival).
 * Messages carry the date, the window, the outlet and the expected time only: never a name,
 * an ID number or an address.
 */
import { addDays, localDate, shanghaiInstant } from './calendar';

export const REMINDER_RECIPIENTS = ['resident', 'contact'] as const;
export type ReminderRecipient = (typeof REMINDER_RECIPIENTS)[number];
export const isReminderRecipient = (x: unknown): x is ReminderRecipient => (REMINDER_RECIPIENTS as readonly unknown[]).includes(x);

export const REMINDER_KINDS = ['reminder_day_before', 'reminder_eta'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const DELIVERY_STATUSES = ['sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why a reminder was not sent (translated on the request page: `delivery_reason_<code>`). */
export const SKIP_REASONS = ['visit_changed', 'visit_cancelled', 'no_consent', 'no_phone', 'not_configured', 'too_late'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Local time (Asia/Shanghai) of the day-before reminder. */
export const REMINDER_DAY_BEFORE_AT = '10:00';

/**
 * When the day-before reminder for a visit on `date` is due: 10:00 the day before; if that has
 * passed already (approved late the day before), at once; null when the visit is today or past
 * (no "tomorrow" message any more).
 */
export function dayBeforeDueAt(date: string, now: Date): string | null {
	const today = localDate(now.toISOString());
	if (date <= today) return null;
	const due = shanghaiInstant(addDays(date, -1), REMINDER_DAY_BEFORE_AT);
	return Date.parse(due) > now.getTime() ? due : now.toISOString();
}

/** The idempotency key of a reminder: one message per visit, kind and slot. */
export function reminderKey(kind: ReminderKind, visitId: string, slot: { date: string; start: string }): string {
	return `${kind}:${visitId}:${slot.date}T${slot.start}`;
}

/** Expected arrival when the team sets off: the published plan's time if later, else now + travel. */
export function etaAt(startedAt: string, plannedArrival: string | null, date: string, travelMinutes = 20): string {
	const byTravel = new Date(Date.parse(startedAt) + travelMinutes * 60_000).toISOString();
	if (!plannedArrival) return byTravel;
	const planned = shanghaiInstant(date, plannedArrival);
	return Date.parse(planned) > Date.parse(byTravel) ? planned : byTravel;
}

/** What the request page shows of its reminders (lib/server/views/delivery-log.ts). */
export interface DeliveryLine {
	at: string;
	kind: string;
	status: DeliveryStatus;
	reason: string | null;
	phoneMasked: string | null;
}

export interface DeliveryLogView {
	recipient: ReminderRecipient | null;
	lines: DeliveryLine[];
	pending: number;
}
