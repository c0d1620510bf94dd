import type { Kysely } from 'kysely';
import { auditEntryHash, chainKey, GENESIS_HASH, type HashedAuditFields } from '../../audit-chain/hash';

/*
 * Tamper-evident audit log: each entry carries the hash of the previous entry of its chain (one
 * chain per outlet, `global` for entries without an outlet) and its own hash over its fields and
 * that link (src/lib/server/audit-chain/hash.ts). `audit_chain_heads` holds each chain's last
 * hash and length: the row appenders lock, and the verifier's check that nothing was cut off the
 * end. Existing entries are chained here in seq order. Idempotent like every migration.
 */

type AnyDb = Kysely<any>;

async function hasColumn(db: AnyDb, table: string, column: string): Promise<boolean> {
	const tables = await db.introspection.getTables();
	return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

interface Head {
	lastHash: string;
	entries: number;
	known: boolean;
}

/** Chains every entry that has no hash yet, in seq order, after its chain's current head. */
async function backfill(db: AnyDb): Promise<void> {
	const heads = new Map<string, Head>();
	for (const h of await db.selectFrom('audit_chain_heads').selectAll().execute()) {
		heads.set(h.chain, { lastHash: h.last_hash, entries: Number(h.entries), known: true });
	}
	let after = -1;
	for (;;) {
		const rows = await db.selectFrom('audit_log').selectAll().where('entry_hash', 'is', null).where('seq', '>', after).orderBy('seq').limit(1000).execute();
		for (const row of rows) {
			const chain = chainKey(row.outlet_id);
			const head = heads.get(chain) ?? { lastHash: GENESIS_HASH, entries: 0, known: false };
			const entryHash = auditEntryHash(row as HashedAuditFields, head.lastHash);
			await db.updateTable('audit_log').set({ prev_hash: head.lastHash, entry_hash: entryHash }).where('seq', '=', row.seq).execute();
			heads.set(chain, { lastHash: entryHash, entries: head.entries + 1, known: head.known });
		}
		if (rows.length < 1000) break;
		after = Number(rows[rows.length - 1].seq);
	}
	for (const [chain, head] of heads) {
		if (head.known) await db.updateTable('audit_chain_heads').set({ last_hash: head.lastHash, entries: head.entries }).where('chain', '=', chain).execute();
		else await db.insertInto('audit_chain_heads').values({ chain, last_hash: head.lastHash, entries: head.entries }).execute();
	}
}

export async function up(db: AnyDb): Promise<void> {
	for (const column of ['prev_hash', 'entry_hash']) {
		if (!(await hasColumn(db, 'audit_log', column))) await db.schema.alterTable('audit_log').addColumn(column, 'text').execute();
	}
	await db.schema
		.createTable('audit_chain_heads')
		.ifNotExists()
		.addColumn('chain', 'text', (c) => c.primaryKey())
		.addColumn('last_hash', 'text', (c) => c.notNull())
		.addColumn('entries', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await backfill(db);
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('audit_chain_heads').ifExists().execute();
	for (const column of ['prev_hash', 'entry_hash']) {
		if (await hasColumn(db, 'audit_log', column)) await db.schema.alterTable('audit_log').dropColumn(column).execute();
	}
}
