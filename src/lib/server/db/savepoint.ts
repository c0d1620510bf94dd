import { sql, type Transaction } from 'kysely';
import { deferredAuditMark, dropDeferredAuditSince } from '$lib/server/audit-chain/store';
import type { Database } from './schema';

let counter = 0;

/**
 * Runs `work` inside `trx` so that, if it throws, what it wrote is undone and the transaction
 * goes on (SQL savepoints: the same statements on SQLite and PostgreSQL). Audit entries it
 * queued in a transaction with deferred appends are dropped with it. A failed statement on
 * PostgreSQL aborts the whole transaction unless it ran inside a savepoint; this is what lets
 * one transaction hold a whole sync batch and still refuse one mutation of it.
 */
export async function inSavepoint<T>(trx: Transaction<Database>, work: () => Promise<T>): Promise<T> {
	const name = sql.raw(`sp_${(counter = (counter + 1) % 1_000_000_000)}`);
	await sql`savepoint ${name}`.execute(trx);
	const mark = deferredAuditMark(trx);
	let value: T;
	try {
		value = await work();
	} catch (err) {
		await sql`rollback to savepoint ${name}`.execute(trx);
		dropDeferredAuditSince(trx, mark);
		throw err;
	}
	await sql`release savepoint ${name}`.execute(trx);
	return value;
}
