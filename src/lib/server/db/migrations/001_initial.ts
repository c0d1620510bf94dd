import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect';

/*
 * The first schema (docs/architecture.md, "Database schema"). Portable types only: text,
 * integer and double precision. Every statement uses IF NOT EXISTS: SQLite DDL is not run in a
 * transaction by Kysely's Migrator, so a crash half-way must be safe to run again.
 */

// Migrations see an untyped database: they must not depend on the current schema types.
type AnyDb = Kysely<any>;

async function createTables(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('branches')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('outlets')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('lat', 'double precision', (c) => c.notNull())
		.addColumn('lng', 'double precision', (c) => c.notNull())
		.addColumn('opening_hours', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('decide_days', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('visit_days', 'integer', (c) => c.notNull().defaultTo(5))
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	await db.schema
		.createTable('communities')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('outlet_id', 'text', (c) => c.notNull().references('outlets.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('district', 'text', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	await db.schema
		.createTable('users')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('username', 'text', (c) => c.notNull().unique())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('outlet_id', 'text', (c) => c.references('outlets.id'))
		.addColumn('community_id', 'text', (c) => c.references('communities.id'))
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('locked_until', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('sessions')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('services')
		.ifNotExists()
		.addColumn('code', 'text', (c) => c.primaryKey())
		.addColumn('name_zh', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('duration_min', 'integer', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('residents')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('phone', 'text', (c) => c.notNull())
		.addColumn('id_number', 'text', (c) => c.notNull())
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('district', 'text', (c) => c.notNull())
		.addColumn('lat', 'double precision')
		.addColumn('lng', 'double precision')
		.addColumn('mobility', 'text', (c) => c.notNull())
		.addColumn('place_type', 'text', (c) => c.notNull())
		.addColumn('contact_name', 'text')
		.addColumn('contact_phone', 'text')
		.addColumn('contact_relation', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
		.execute();

	await db.schema
		.createTable('requests')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull().unique())
		.addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
		.addColumn('outlet_id', 'text', (c) => c.notNull().references('outlets.id'))
		.addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
		.addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('urgency', 'text', (c) => c.notNull())
		.addColumn('services', 'text', (c) => c.notNull())
		.addColumn('windows', 'text', (c) => c.notNull())
		.addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('consent_by', 'text', (c) => c.notNull())
		.addColumn('consent_name', 'text', (c) => c.notNull())
		.addColumn('consent_relation', 'text')
		.addColumn('consent_version', 'text', (c) => c.notNull())
		.addColumn('consent_hash', 'text', (c) => c.notNull())
		.addColumn('consent_at', 'text', (c) => c.notNull())
		.addColumn('consent_recorded_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('decision_reason', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('decided_at', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	await db.schema
		.createTable('visits')
		.ifNotExists()
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
		.addColumn('outlet_id', 'text', (c) => c.notNull().references('outlets.id'))
		.addColumn('date', 'text', (c) => c.notNull())
		.addColumn('window_start', 'text', (c) => c.notNull())
		.addColumn('window_end', 'text', (c) => c.notNull())
		.addColumn('lead_staff_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('second_staff_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('outcome', 'text')
		.addColumn('outcome_note', 'text')
		.addColumn('visited_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	// seq: SQLite's AUTOINCREMENT never reuses a number; PostgreSQL uses an identity column.
	const sqlite = dialectOf(db) === 'sqlite';
	await db.schema
		.createTable('audit_log')
		.ifNotExists()
		.addColumn('seq', 'integer', (c) =>
			sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()
		)
		.addColumn('id', 'text', (c) => c.notNull().unique())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('entity', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text', (c) => c.notNull())
		.addColumn('outlet_id', 'text')
		.addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
		.execute();

	await db.schema
		.createTable('calendar_days')
		.ifNotExists()
		.addColumn('date', 'text', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
		.execute();

	await db.schema
		.createTable('counters')
		.ifNotExists()
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'integer', (c) => c.notNull())
		.execute();
}

/** Indexes for the hot queries named in the architecture (inboxes, day views, timelines). */
async function createIndexes(db: AnyDb): Promise<void> {
	const indexes: Array<[name: string, table: string, columns: string[]]> = [
		['users_outlet_role', 'users', ['outlet_id', 'role']],
		['users_community', 'users', ['community_id']],
		['sessions_user', 'sessions', ['user_id']],
		['sessions_expires', 'sessions', ['expires_at']],
		['communities_outlet', 'communities', ['outlet_id']],
		['residents_community_name', 'residents', ['community_id', 'name']],
		['requests_outlet_status_created', 'requests', ['outlet_id', 'status', 'created_at']],
		['requests_community_created', 'requests', ['community_id', 'created_at']],
		['requests_resident', 'requests', ['resident_id']],
		['requests_created', 'requests', ['created_at']],
		['visits_request', 'visits', ['request_id']],
		['visits_lead_date', 'visits', ['lead_staff_id', 'date']],
		['visits_second_date', 'visits', ['second_staff_id', 'date']],
		['visits_outlet_date', 'visits', ['outlet_id', 'date']],
		['audit_entity', 'audit_log', ['entity', 'entity_id', 'seq']],
		['audit_outlet_seq', 'audit_log', ['outlet_id', 'seq']]
	];
	for (const [name, table, columns] of indexes) {
		await db.schema.createIndex(`idx_${name}`).ifNotExists().on(table).columns(columns).execute();
	}
	// One record per person and community: a double-submitted form must not create twins.
	await db.schema
		.createIndex('uq_residents_community_id_number')
		.ifNotExists()
		.unique()
		.on('residents')
		.columns(['community_id', 'id_number'])
		.execute();
}

export async function up(db: AnyDb): Promise<void> {
	await createTables(db);
	await createIndexes(db);
}

export async function down(db: AnyDb): Promise<void> {
	const tables = [
		'counters',
		'calendar_days',
		'audit_log',
		'visits',
		'requests',
		'residents',
		'services',
		'sessions',
		'users',
		'communities',
		'outlets',
		'branches'
	];
	for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}
