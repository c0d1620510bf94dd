import type { Kysely } from 'kysely';

/*
 * Offline field app: registered devices, the exactly-once record of pushed mutations, and the
 * visit progress the team records before the outcome (docs/sync-protocol.md). Portable types
 * only, IF NOT EXISTS everywhere (see 001_initial for why).
 *
 * No change counter is added to `visits`: pull cursors are content fingerprints of what the
 * device was sent (src/lib/server/sync/cursor.ts), so the use cases that change visits need no
 * extra bookkeeping and a transaction committing late can never be skipped by a cursor.
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('devices')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text')
		.addColumn('revoked_at', 'text')
		.execute();

	// One row per mutation id ever decided: the idempotency key of a push.
	await db.schema
		.createTable('sync_mutations')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('device_id', 'text', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text', (c) => c.notNull())
		.addColumn('base_version', 'integer', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		// applied | rejected | discarded
		.addColumn('result', 'text', (c) => c.notNull())
		.addColumn('reason', 'text')
		// JSON text: what was answered (without the visit, which is re-read on a replay)
		.addColumn('response', 'text', (c) => c.notNull().defaultTo('{}'))
		.execute();

	await db.schema
		.createTable('visit_progress')
		.ifNotExists()
		.addColumn('visit_id', 'text', (c) => c.primaryKey().references('visits.id'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('travel_started_at', 'text')
		.addColumn('arrived_at', 'text')
		.addColumn('arrival_lat', 'double precision')
		.addColumn('arrival_lng', 'double precision')
		.addColumn('arrival_accuracy_m', 'double precision')
		.addColumn('arrival_distance_m', 'double precision')
		// JSON text: { [serviceCode]: { ticked: number[], at, by } }
		.addColumn('checklist', 'text', (c) => c.notNull().defaultTo('{}'))
		// JSON text: { [serviceCode]: { outcome, note, at, by } }
		.addColumn('service_outcomes', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('consent_by', 'text')
		.addColumn('consent_name', 'text')
		.addColumn('consent_relation', 'text')
		.addColumn('consent_version', 'text')
		.addColumn('consent_hash', 'text')
		// PNG data URL (size-limited by the protocol)
		.addColumn('consent_signature', 'text')
		.addColumn('consent_signed_at', 'text')
		// JSON text: user ids of the two team members who confirmed the outcome
		.addColumn('confirmed_by', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('completed_by', 'text')
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'text')
		.execute();

	const indexes: Array<[name: string, table: string, columns: string[]]> = [
		['devices_user', 'devices', ['user_id']],
		['sync_mutations_user_received', 'sync_mutations', ['user_id', 'received_at']],
		['sync_mutations_entity', 'sync_mutations', ['entity_id']]
	];
	for (const [name, table, columns] of indexes) {
		await db.schema.createIndex(`idx_${name}`).ifNotExists().on(table).columns(columns).execute();
	}
}

export async function down(db: AnyDb): Promise<void> {
	for (const table of ['visit_progress', 'sync_mutations', 'devices']) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
