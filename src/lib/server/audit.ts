import { appendAudit, type AuditEntity, type AuditEntry } from '$lib/server/repos/audit';
import type { Db } from '$lib/server/repos/common';
import { maskPersonalNumbers } from '$lib/domain/personal-numbers';

/*
 * The one writer of the append-only audit log. Details are scrubbed before they are stored:
 * an audit log is read by many and kept for years, so it must not become a copy of the
 * customers' ID numbers and phone numbers (PIPL: collect and spread the minimum).
 */

/**
 * Every action the server writes. `recordAudit` accepts nothing else (a new action is added here,
 * and src/lib/i18n/audit-labels.test.ts then asks for its label in both languages).
 */
export const AUDIT_ACTIONS = [
	'login',
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
	'evidence_accept',
	'evidence_send_back',
	'sync_apply',
	'sync_reject',
	'sync_discard',
	'photo_upload',
	'photo_superseded',
	'device_revoke',
	'device_revoke_all',
	'device_wiped',
	'lock_policy_set',
	'photo_read_refused',
	'user_create',
	'user_update',
	'user_deactivate',
	'user_reactivate',
	'user_password_reset',
	'outlet_create',
	'outlet_update',
	'community_create',
	'community_update',
	'service_create',
	'service_update',
	'calendar_add',
	'calendar_update',
	'calendar_delete',
	'reminder_sent',
	'report_export',
	'storage_janitor',
	'sync_id_reused'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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

/**
 * Appends one entry. Call it inside the use case's transaction so it commits with the change
 * (null: that transaction defers its appends to its end, see audit-chain/store.ts).
 */
export async function recordAudit(db: Db, input: AuditInput): Promise<AuditEntry | null> {
	return appendAudit(db, {
		...input,
		details: scrubDetails(input.details ?? {}) as Record<string, unknown>
	});
}

/** Short alias used by route files (`audit(db, { … })`). */
export const audit = recordAudit;
