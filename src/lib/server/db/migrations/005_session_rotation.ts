import type { Kysely } from 'kysely';

/*
 * Session rotation (src/lib/server/auth/session.ts): when a session's token is replaced by a new
 * one, the old row is marked `rotated_at` and lives only for a short grace, so requests already
 * in flight with the old cookie still succeed, and a replaced token can never be rotated again.
 */

type AnyDb = Kysely<any>;

async function hasColumn(db: AnyDb, table: string, column: string): Promise<boolean> {
	const tables = await db.introspection.getTables();
	return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

export async function up(db: AnyDb): Promise<void> {
	if (!(await hasColumn(db, 'sessions', 'rotated_at'))) await db.schema.alterTable('sessions').addColumn('rotated_at', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	if (await hasColumn(db, 'sessions', 'rotated_at')) await db.schema.alterTable('sessions').dropColumn('rotated_at').execute();
}
