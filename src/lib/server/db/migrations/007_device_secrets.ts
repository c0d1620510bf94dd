import type { Kysely } from 'kysely';

/*
 * One random recovery secret per user (issue 6, encryption at rest on the tablet). The tablet
 * wraps its data key under it as well as under the PIN, so work kept after too many wrong PINs
 * is recovered at the next ONLINE sign-in. It is no credential: it opens nothing on the server,
 * and only the signed-in user gets it (GET /api/devices/secret). Portable types only.
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('device_secrets')
		.ifNotExists()
		.addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
		// 32 random bytes, base64
		.addColumn('secret', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('device_secrets').ifExists().execute();
}
