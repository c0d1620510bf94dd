import type { Kysely } from 'kysely';

/*
 * Photo objects waiting to be deleted from the storage (privacy: minimum retention). A photo the
 * team retook or deleted on the tablet before finishing the visit, but which had already been
 * uploaded, is not in the completion's manifest: its row goes in the same transaction as the
 * completion, and its hash is queued here; the object is removed after the commit, when no row
 * points at it any more (src/lib/server/photos/superseded.ts). Portable types only.
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('photo_deletions')
		.ifNotExists()
		.addColumn('sha256', 'text', (c) => c.primaryKey())
		.addColumn('requested_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('photo_deletions').ifExists().execute();
}
