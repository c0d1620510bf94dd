import type { Kysely } from 'kysely';

/*
 * Scale-out (issue 12): what several server processes must share goes into the database.
 * - `rate_limits`: one token bucket per limited key (sign-in failures per address and per
 *   username, uploads and pushes per user), taken with one atomic upsert per hit
 *   (src/lib/server/security/shared-rate-limit.ts). The key is a hash, never the address or name.
 * - `sync_mutations.body_hash`: SHA-256 of the mutation's canonical body, so a known id with a
 *   different body is refused (`err_id_reused`) instead of answered as already applied. Rows
 *   from before this migration have none and are answered as before.
 * Portable types only.
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('rate_limits')
		.ifNotExists()
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('tokens', 'double precision', (c) => c.notNull())
		.addColumn('updated_ms', 'double precision', (c) => c.notNull())
		// 1 when the last hit took a token, 0 when it was refused (read back by the same upsert).
		.addColumn('last_ok', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.alterTable('sync_mutations').addColumn('body_hash', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.alterTable('sync_mutations').dropColumn('body_hash').execute();
	await db.schema.dropTable('rate_limits').ifExists().execute();
}
