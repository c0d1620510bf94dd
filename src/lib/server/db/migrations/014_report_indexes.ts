import type { Kysely } from 'kysely';

/*
 * For the branch report (/reports) and the ledger export: indexes on requests of an outlet by
 * the day they were received (the existing (outlet, status, created) index needs a status) and
 * on visits by status and date; and `report_workdays`, the working-day index the report's SQL
 * joins to count time limits (one row per date: cum = working days so far, w = 1 on a working
 * day), rebuilt from the working calendar whenever its fingerprint changes
 * (src/lib/server/reports/workdays.ts). Portable, idempotent.
 */

type AnyDb = Kysely<any>;

const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
	['requests_outlet_created', 'requests', ['outlet_id', 'created_at']],
	['visits_status_date', 'visits', ['status', 'date']],
	['visits_outlet_status_date', 'visits', ['outlet_id', 'status', 'date']],
	// the first visit's scheduling time of a request (its decision) in one index seek
	['visits_request_created', 'visits', ['request_id', 'created_at']]
];

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('report_workdays')
		.ifNotExists()
		.addColumn('d', 'text', (c) => c.primaryKey())
		.addColumn('cum', 'integer', (c) => c.notNull())
		.addColumn('w', 'integer', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('report_workdays_meta')
		.ifNotExists()
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('fingerprint', 'text', (c) => c.notNull())
		.execute();
	for (const [name, table, columns] of INDEXES) {
		await db.schema.createIndex(`idx_${name}`).ifNotExists().on(table).columns(columns).execute();
	}
}

export async function down(db: AnyDb): Promise<void> {
	for (const [name] of INDEXES) await db.schema.dropIndex(`idx_${name}`).ifExists().execute();
	await db.schema.dropTable('report_workdays_meta').ifExists().execute();
	await db.schema.dropTable('report_workdays').ifExists().execute();
}
