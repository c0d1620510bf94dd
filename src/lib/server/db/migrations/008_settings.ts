import type { Kysely } from 'kysely';

/*
 * Branch-wide settings the administrator changes at run time, one row per key (the first:
 * `field_lock_idle_minutes`, issue 6). A missing row means the built-in default. Portable types.
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('settings')
		.ifNotExists()
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'text', (c) => c.references('users.id'))
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('settings').ifExists().execute();
}
