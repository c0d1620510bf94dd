import type { Kysely } from 'kysely';

/*
 * Issue 13: a check-in further from the resident's pin than the configured distance
 * (CHECKIN_MAX_DISTANCE_M) carries the team's reason; the outlet head sees it with the visit's
 * record. One nullable text column; idempotent like the others (migrations run unordered).
 */

type AnyDb = Kysely<any>;

async function hasColumn(db: AnyDb, table: string, column: string): Promise<boolean> {
	const tables = await db.introspection.getTables();
	return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

export async function up(db: AnyDb): Promise<void> {
	if (await hasColumn(db, 'visit_progress', 'arrival_far_reason')) return;
	await db.schema.alterTable('visit_progress').addColumn('arrival_far_reason', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	if (await hasColumn(db, 'visit_progress', 'arrival_far_reason')) await db.schema.alterTable('visit_progress').dropColumn('arrival_far_reason').execute();
}
