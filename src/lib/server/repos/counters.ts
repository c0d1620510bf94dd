import { sql } from 'kysely';
import type { Db } from './common';

/**
 * Returns the next value (1, 2, …) of a named counter in one atomic upsert, so two concurrent
 * submissions never get the same human reference number. Works on SQLite ≥ 3.35 and PostgreSQL.
 */
export async function nextCounterValue(db: Db, name: string): Promise<number> {
	const row = await db
		.insertInto('counters')
		.values({ name, value: 1 })
		.onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
		.returning('value')
		.executeTakeFirstOrThrow();
	return Number(row.value);
}
