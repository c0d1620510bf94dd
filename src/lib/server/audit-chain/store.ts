import type { Transaction } from 'kysely';
import type { AuditRow, Database } from '$lib/server/db/schema';
import type { Db } from '$lib/server/repos/common';
import { auditEntryHash, chainKey, GENESIS_HASH, type HashedAuditFields } from './hash';
import { ChainVerifier, type ChainReport, type ChainRow } from './verify-chains';

/*
 * The database side of the audit hash chains (migration 005_audit_chain).
 *
 * Appending takes the chain's head row with a lock that lasts until the surrounding transaction
 * commits: PostgreSQL `SELECT … FOR UPDATE` (a second writer of the same outlet waits, then
 * reads the head the first one committed); SQLite has one writer at a time anyway (Kysely's
 * SQLite driver runs one transaction at a time on its one connection, and the file lock covers
 * other processes). Appends of different outlets do not wait for each other. A rolled-back
 * transaction rolls back its entries and the head together, so the chain never has gaps.
 */

/**
 * The head of `chain` (created at genesis if new), locked until the transaction ends: one
 * statement, whose no-op update on conflict takes the row lock on PostgreSQL and, after waiting
 * for another writer, returns the head that writer committed.
 */
async function lockHead(trx: Transaction<Database>, chain: string): Promise<string> {
	const head = await trx
		.insertInto('audit_chain_heads')
		.values({ chain, last_hash: GENESIS_HASH, entries: 0 })
		.onConflict((oc) => oc.column('chain').doUpdateSet((eb) => ({ entries: eb.ref('audit_chain_heads.entries') })))
		.returning('last_hash')
		.executeTakeFirstOrThrow();
	return head.last_hash;
}

/*
 * Deferred appends, for a transaction that writes many entries (a sync push of a batch): the
 * entries wait in order and go in at the end with one lock per chain and one insert, so the
 * chain's lock is held only for the last moment of the transaction instead of from its first
 * entry — the lock every writer of an outlet takes, and the one two team members' pushes would
 * otherwise queue on (or deadlock on, holding each other's visits). The transaction is the key:
 * Kysely passes the same object to everything that runs in it.
 */
const deferred = new WeakMap<Transaction<Database>, HashedAuditFields[]>();

/** From now on `insertChained` in `trx` queues; `flushDeferredAudit` writes the queue. */
export function deferAuditAppends(trx: Transaction<Database>): void {
	if (!deferred.has(trx)) deferred.set(trx, []);
}

/** A mark to return to when a savepoint of `trx` is rolled back (what it queued is dropped). */
export function deferredAuditMark(trx: Transaction<Database>): number {
	return deferred.get(trx)?.length ?? 0;
}

export function dropDeferredAuditSince(trx: Transaction<Database>, mark: number): void {
	deferred.get(trx)?.splice(mark);
}

const ROWS_PER_INSERT = 200;

/** Writes the queued entries (chains locked in a fixed order: no two flushes deadlock). */
export async function flushDeferredAudit(trx: Transaction<Database>): Promise<void> {
	const queue = deferred.get(trx) ?? [];
	deferred.delete(trx);
	if (queue.length === 0) return;
	const heads = new Map<string, { hash: string; added: number }>();
	for (const chain of [...new Set(queue.map((f) => chainKey(f.outlet_id)))].sort()) heads.set(chain, { hash: await lockHead(trx, chain), added: 0 });
	const rows = queue.map((fields) => {
		const head = heads.get(chainKey(fields.outlet_id))!;
		const entryHash = auditEntryHash(fields, head.hash);
		const row = { ...fields, prev_hash: head.hash, entry_hash: entryHash };
		head.hash = entryHash;
		head.added++;
		return row;
	});
	// One statement keeps the queue's order in seq (VALUES are numbered in order).
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await trx.insertInto('audit_log').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
	for (const [chain, head] of heads) {
		await trx
			.updateTable('audit_chain_heads')
			.set((eb) => ({ last_hash: head.hash, entries: eb('entries', '+', head.added) }))
			.where('chain', '=', chain)
			.execute();
	}
}

/**
 * Inserts one audit row with its place in the outlet's chain. Runs in the caller's transaction
 * when given one (so the entry commits with the change it records), else in its own. In a
 * transaction with deferred appends it is queued instead (null: the row does not exist yet).
 */
export async function insertChained(db: Db, fields: HashedAuditFields): Promise<AuditRow | null> {
	const queue = db.isTransaction ? deferred.get(db as Transaction<Database>) : undefined;
	if (queue) {
		queue.push(fields);
		return null;
	}
	const run = async (trx: Transaction<Database>): Promise<AuditRow> => {
		const chain = chainKey(fields.outlet_id);
		const prevHash = await lockHead(trx, chain);
		const entryHash = auditEntryHash(fields, prevHash);
		const row = await trx
			.insertInto('audit_log')
			.values({ ...fields, prev_hash: prevHash, entry_hash: entryHash })
			.returningAll()
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('audit_chain_heads')
			.set((eb) => ({ last_hash: entryHash, entries: eb('entries', '+', 1) }))
			.where('chain', '=', chain)
			.execute();
		return row;
	};
	return db.isTransaction ? run(db as Transaction<Database>) : db.transaction().execute(run);
}

const PAGE = 2000;

/** Reads every entry in seq order (in pages) and checks each chain and its head. */
export async function verifyAuditChains(db: Db): Promise<ChainReport> {
	const verifier = new ChainVerifier();
	let after = -1;
	for (;;) {
		const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
		for (const row of rows) verifier.feed({ ...row, seq: Number(row.seq) } as ChainRow);
		if (rows.length < PAGE) break;
		after = Number(rows[rows.length - 1].seq);
	}
	const heads = await db.selectFrom('audit_chain_heads').selectAll().execute();
	return verifier.finish(heads.map((h) => ({ ...h, entries: Number(h.entries) })));
}

export interface AuditEntryHash {
	id: string;
	seq: number;
	at: string;
	entryHash: string | null;
}

/**
 * The hash of the latest entry `action` about one entity (e.g. the `record_outcome` of a visit,
 * whose details hold the consent), for the evidence sheet: a printed hash lets anyone check later
 * that the log still holds that entry unchanged (`npm run audit:verify`).
 */
export async function auditEntryHashFor(db: Db, entity: string, entityId: string, action: string): Promise<AuditEntryHash | null> {
	const row = await db
		.selectFrom('audit_log')
		.select(['id', 'seq', 'at', 'entry_hash'])
		.where('entity', '=', entity)
		.where('entity_id', '=', entityId)
		.where('action', '=', action)
		.orderBy('seq', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? { id: row.id, seq: Number(row.seq), at: row.at, entryHash: row.entry_hash } : null;
}


/** The newest audit entry about an entity, whatever the action (e.g. the evidence sheet's seal). */
export async function latestAuditEntryFor(db: Db, entity: string, entityId: string): Promise<(AuditEntryHash & { action: string }) | null> {
	const row = await db
		.selectFrom('audit_log')
		.select(['id', 'seq', 'at', 'entry_hash', 'action'])
		.where('entity', '=', entity)
		.where('entity_id', '=', entityId)
		.orderBy('seq', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? { id: row.id, seq: Number(row.seq), at: row.at, entryHash: row.entry_hash, action: row.action } : null;
}
