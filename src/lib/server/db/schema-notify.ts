/** Tables of notifications, the job queue and SMS reminders (migration 015), apart from schema.ts. */

export interface NotificationsTable {
	id: string;
	user_id: string;
	/** A message key (messages/notify), translated when shown. */
	code: string;
	/** JSON object of the message's parameters (never ID or phone numbers). */
	params: string;
	link: string | null;
	entity: string | null;
	entity_id: string | null;
	dedupe_key: string | null;
	created_at: string;
	read_at: string | null;
}

export interface JobsTable {
	id: string;
	kind: string;
	idempotency_key: string;
	payload: string;
	request_id: string | null;
	visit_id: string | null;
	/** `pending` | `running` | `done` | `dead` | `cancelled` */
	status: string;
	due_at: string;
	attempts: number;
	max_attempts: number;
	locked_by: string | null;
	locked_until: string | null;
	last_error: string | null;
	created_at: string;
	updated_at: string;
}

export interface ReminderConsentsTable {
	request_id: string;
	/** `resident` | `contact`: whose number the reminders go to. */
	recipient: string;
	recorded_at: string;
	recorded_by: string;
}

export interface DeliveryLogTable {
	id: string;
	request_id: string;
	visit_id: string | null;
	job_id: string | null;
	idempotency_key: string | null;
	/** `reminder_day_before` | `reminder_eta` */
	kind: string;
	/** `sent` | `failed` | `skipped` */
	status: string;
	reason: string | null;
	phone_masked: string | null;
	provider_ref: string | null;
	at: string;
}
