import { createHash } from 'node:crypto';

/*
 * The hash of one audit entry. Pure (no I/O): the writer, the migration's backfill and the
 * verifier all call this one function, so they can never disagree about what an entry is.
 *
 * entry_hash = SHA-256( "doorstep-audit-v1\n" + canonical JSON of the stored fields + prev_hash )
 *
 * `details` is hashed as the exact JSON text stored in the row, so any edit of the column (even
 * one that keeps the same meaning) breaks the hash. `seq` is not hashed: the database assigns it
 * on insert, and an entry's place is already fixed by the hash of its predecessor.
 */

/** prev_hash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The global chain: entries without an outlet (accounts, catalogue, calendar…). */
export const GLOBAL_CHAIN = 'global';

/** Which chain an entry belongs to: one per outlet, one for everything else. */
export function chainKey(outletId: string | null): string {
	return outletId ?? GLOBAL_CHAIN;
}

/** The stored fields an entry hash covers (audit_log columns, as stored). */
export interface HashedAuditFields {
	id: string;
	at: string;
	actor_id: string | null;
	action: string;
	entity: string;
	entity_id: string;
	outlet_id: string | null;
	details: string;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj)
		.filter((k) => obj[k] !== undefined)
		.sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function auditEntryHash(fields: HashedAuditFields, prevHash: string): string {
	const canonical = canonicalJson({
		id: fields.id,
		at: fields.at,
		actor_id: fields.actor_id,
		action: fields.action,
		entity: fields.entity,
		entity_id: fields.entity_id,
		outlet_id: fields.outlet_id,
		details: fields.details,
		prev_hash: prevHash
	});
	return createHash('sha256').update(`doorstep-audit-v1\n${canonical}`).digest('hex');
}
