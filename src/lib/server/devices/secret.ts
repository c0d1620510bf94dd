import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';

/**
 * The user's recovery secret for the tablet's data key (see migration 007_device_secrets),
 * created on first request. Insert-if-absent then read, so two tablets asking at once get the
 * same secret.
 */
export async function deviceSecretFor(db: Kysely<Database>, userId: string, now = new Date()): Promise<string> {
	await db
		.insertInto('device_secrets')
		.values({ user_id: userId, secret: randomBytes(32).toString('base64'), created_at: now.toISOString() })
		.onConflict((oc) => oc.column('user_id').doNothing())
		.execute();
	const row = await db.selectFrom('device_secrets').select('secret').where('user_id', '=', userId).executeTakeFirstOrThrow();
	return row.secret;
}
