import { appendAudit, type AuditEntity, type AuditEntry } from '$lib/server/repos/audit';
import type { Db } from '$lib/server/repos/common';
import { maskPersonalNumbers } from '$lib/domain/personal-numbers';

/*
 * The one writer of the append-only audit log. Details are scrubbed before they are stored:
 * an audit log is read by many and kept for years, so it must not become a copy of the
 * customers' ID numbers and phone numbers (PIPL: collect and spread the minimum).
 */

export const AUDIT_ACTIONS = [
	'submit',
	'resident_create',
	'approve',
	'reject',
	'cancel',
	'reschedule',
	'record_outcome',
	'reopen',
	'process',
	'reveal_id',
	'visit_cancel',
	'photo_upload',
	'lock_policy_set',
	'photo_superseded',
	'reminder_sent'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});

/** Keys whose values never go into the log, whatever they contain. */
const SECRET_KEY = /(id_?number|idnumber|phone|password|token|hash)/i;

/** Removes secret keys and masks ID/phone numbers in strings, recursively. */
export function scrubDetails(value: unknown): unknown {
	if (typeof value === 'string') return maskPersonalNumbers(value);
	if (Array.isArray(value)) return value.map(scrubDetails);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			if (SECRET_KEY.test(key)) continue;
			out[key] = scrubDetails(inner);
		}
		return out;
	}
	return value;
}

export interface AuditInput {
	actorId: string | null;
	action: AuditAction;
	entity: AuditEntity;
	entityId: string;
	outletId: string | null;
	details?: Record<string, unknown>;
	at?: Date;
}

/** Appends one entry. Call it inside the use case's transaction so it commits with the change. */
export async function recordAudit(db: Db, input: AuditInput): Promise<AuditEntry> {
	return appendAudit(db, {
		...input,
		details: scrubDetails(input.details ?? {}) as Record<string, unknown>
	});
}

/** Short alias used by route files (`audit(db, { … })`). */
export const audit = recordAudit;
