import type { Kysely } from 'kysely';

/*
 * Issue 15: notifications, the job queue, SMS reminders.
 * - `notifications`: one row per recipient user; `code` + `params` (JSON) are translated when
 *   shown, never stored as text. `dedupe_key` (unique per user when set) keeps time-driven
 *   notices (a time limit that ends today) to one per request and day.
 * - `jobs`: the database job queue (due time, attempts, lease, dead jobs). `idempotency_key`
 *   is unique: enqueueing the same reminder twice keeps one job.
 * - `reminder_consents`: the customer's opt-in to SMS reminders, recorded with the request's
 *   consent (which number: the resident's or the contact's).
 * - `delivery_log`: what happened to each reminder (sent / failed / skipped with reason); the
 *   phone only masked. `idempotency_key` unique: one "sent" line per message.
 * Portable types only (text, integer), as everywhere.
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('notifications')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('link', 'text')
		.addColumn('entity', 'text')
		.addColumn('entity_id', 'text')
		.addColumn('dedupe_key', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('read_at', 'text')
		.execute();
	await db.schema.createIndex('notifications_user_created').ifNotExists().on('notifications').columns(['user_id', 'created_at']).execute();
	await db.schema.createIndex('notifications_user_dedupe').ifNotExists().unique().on('notifications').columns(['user_id', 'dedupe_key']).execute();

	await db.schema
		.createTable('jobs')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
		.addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('request_id', 'text')
		.addColumn('visit_id', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('due_at', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(6))
		.addColumn('locked_by', 'text')
		.addColumn('locked_until', 'text')
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('jobs_status_due').ifNotExists().on('jobs').columns(['status', 'due_at']).execute();
	await db.schema.createIndex('jobs_visit').ifNotExists().on('jobs').column('visit_id').execute();

	await db.schema
		.createTable('reminder_consents')
		.ifNotExists()
		.addColumn('request_id', 'text', (c) => c.primaryKey().references('requests.id'))
		.addColumn('recipient', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.addColumn('recorded_by', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('delivery_log')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('request_id', 'text', (c) => c.notNull())
		.addColumn('visit_id', 'text')
		.addColumn('job_id', 'text')
		.addColumn('idempotency_key', 'text', (c) => c.unique())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('reason', 'text')
		.addColumn('phone_masked', 'text')
		.addColumn('provider_ref', 'text')
		.addColumn('at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('delivery_log_request').ifNotExists().on('delivery_log').columns(['request_id', 'at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
	for (const table of ['delivery_log', 'reminder_consents', 'jobs', 'notifications']) await db.schema.dropTable(table).ifExists().execute();
}
