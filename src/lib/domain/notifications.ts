/*
 * Notification codes (pure: shared by server and pages). A notification is stored as a code and
 * its parameters and translated when shown (messages/notify: `ntf_<code>`), so a head reading in
 * English sees English even for a notice created while someone else worked in Chinese.
 */

export const NOTIFICATION_CODES = [
	// community worker
	'request_approved',
	'request_rejected',
	'request_rescheduled',
	'request_cancelled',
	'request_reopened',
	'visit_outcome',
	// outlet head
	'request_new',
	'deadline_today',
	'deadline_overdue',
	'evidence_ready',
	'sync_refused',
	// admin
	'device_revoked',
	'device_wiped',
	'reminder_failed',
	// field staff (delivered in the pull: field notices)
	'visit_new',
	'visit_moved',
	'visit_cancelled',
	'visit_sent_back'
] as const;
export type NotificationCode = (typeof NOTIFICATION_CODES)[number];

/** The codes a field tablet receives as notices in its pull (offline: shown from IndexedDB). */
export const FIELD_NOTICE_CODES = ['visit_new', 'visit_moved', 'visit_cancelled', 'visit_sent_back'] as const satisfies readonly NotificationCode[];
export type FieldNoticeCode = (typeof FIELD_NOTICE_CODES)[number];

export const isFieldNoticeCode = (code: string): code is FieldNoticeCode => (FIELD_NOTICE_CODES as readonly string[]).includes(code);

/** Parameters are short strings or numbers only: codes of other messages end in `Code`. */
export type NotificationParams = Record<string, string | number | null>;

/** Per page of /notifications; the count in the bell stops at this too ("99+"). */
export const NOTIFICATION_PAGE_SIZE = 50;
export const UNREAD_BADGE_MAX = 99;

export function badgeText(unread: number): string {
	return unread > UNREAD_BADGE_MAX ? `${UNREAD_BADGE_MAX}+` : String(unread);
}
