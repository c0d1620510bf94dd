import * as v from 'valibot';
import { fieldErrors, newRequestSchema } from '$lib/domain/schemas';
import { CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import type { SubmitRequestInput } from '$lib/server/workflow/submit';
import { isReminderRecipient, type ReminderRecipient } from '$lib/domain/reminders';

/** The SMS opt-in radio: '' (none), `resident` or `contact`; anything else is refused. */
function reminderChoice(raw: unknown): { ok: true; value: ReminderRecipient | null } | { ok: false } {
	if (raw === undefined || raw === null || raw === '' || raw === 'none') return { ok: true, value: null };
	return isReminderRecipient(raw) ? { ok: true, value: raw } : { ok: false };
}

export type NewRequestInput = SubmitRequestInput;

/** The longest lists the form holds: 20 services, 10 windows (newRequestSchema). */
export const NEW_REQUEST_FORM_LIMITS = { maxListLength: 20 };

type Parsed =
	| { ok: true; input: NewRequestInput; values: Record<string, unknown> }
	| { ok: false; values: Record<string, unknown>; errors: Record<string, string> };

const isBlankWindow = (w: unknown) =>
	!w || (typeof w === 'object' && Object.values(w as Record<string, unknown>).every((x) => !x));

/**
 * Prepares the "new request" form for the schema: the resident is either chosen or typed,
 * window rows left completely empty are dropped (the form offers spare rows), and the consent
 * checkbox becomes a boolean. `values` is what the form shows again after an error.
 */
export function parseNewRequest(raw: Record<string, unknown>): Parsed {
	const windows = Array.isArray(raw.windows) ? raw.windows.filter((w) => !isBlankWindow(w)) : [];
	const services = Array.isArray(raw.services) ? raw.services : raw.services ? [raw.services] : [];
	const existing = raw.residentMode === 'existing';
	const candidate = {
		...(existing ? { residentId: raw.residentId ?? '' } : { resident: raw.resident ?? {} }),
		services,
		windows,
		urgency: raw.urgency ?? 'normal',
		notes: raw.notes ?? '',
		consentBy: raw.consentBy ?? '',
		consentName: raw.consentName ?? '',
		consentRelation: raw.consentRelation ?? '',
		consentAgreed: raw.consentAgreed === 'true'
	};
	const values = { ...raw, services, windows };
	const result = v.safeParse(newRequestSchema, candidate);
	const reminders = reminderChoice(raw.reminderTo);
	if (!result.success || !reminders.ok) {
		const errors = result.success ? {} : fieldErrors(result.issues);
		if (existing && !raw.residentId) errors.residentId ??= 'err_required';
		if (!reminders.ok) errors.reminderTo = 'err_reminder_recipient';
		return { ok: false, values, errors };
	}
	const o = result.output;
	const input: SubmitRequestInput = {
		residentId: o.residentId,
		resident: o.resident,
		services: o.services,
		urgency: o.urgency,
		windows: o.windows,
		notes: o.notes,
		// The version is the one this server shows; a stale form cannot claim an older text.
		consent: { by: o.consentBy, name: o.consentName, relation: o.consentRelation, version: CURRENT_CONSENT_VERSION },
		reminders: reminders.value ? { recipient: reminders.value } : null
	};
	return { ok: true, input, values };
}
