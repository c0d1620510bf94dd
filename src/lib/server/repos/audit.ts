import type { AuditRow } from '$lib/server/db/schema';
import { insertChained } from '$lib/server/audit-chain/store';
import { isoNow, newId, type Db } from './common';

/*
 * Queries on the append-only audit log. Write through `$lib/server/audit` (`recordAudit`),
 * which scrubs personal data from the details; `appendAudit` here stores what it is given.
 */

export const AUDIT_ENTITIES = ['request', 'visit', 'resident', 'user', 'outlet', 'community', 'service', 'calendar', 'session', 'device', 'settings', 'report', 'photo_storage'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export interface AuditEntry {
	seq: number;
	id: string;
	at: string;
	actorId: string | null;
	action: string;
	entity: string;
	entityId: string;
	outletId: string | null;
	details: Record<string, unknown>;
}

/** An entry with the actor's display name (timeline, audit pages). */
export interface AuditEntryWithActor extends AuditEntry {
	actorName: string | null;
}

export interface NewAuditEntry {
	actorId: string | null;
	action: string;
	entity: AuditEntity | string;
	entityId: string;
	outletId: string | null;
	details?: Record<string, unknown>;
	at?: Date;
}

function parseDetails(text: string): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(text);
		return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

function toEntry(row: AuditRow): AuditEntry {
	return {
		seq: Number(row.seq),
		id: row.id,
		at: row.at,
		actorId: row.actor_id,
		action: row.action,
		entity: row.entity,
		entityId: row.entity_id,
		outletId: row.outlet_id,
		details: parseDetails(row.details)
	};
}

/**
 * Appends one entry to its outlet's hash chain (src/lib/server/audit-chain/store.ts); null when
 * the transaction defers its appends (the entry is written at its end).
 */
export async function appendAudit(db: Db, entry: NewAuditEntry): Promise<AuditEntry | null> {
	const row = await insertChained(db, {
		id: newId(),
		at: isoNow(entry.at),
		actor_id: entry.actorId,
		action: entry.action,
		entity: entry.entity,
		entity_id: entry.entityId,
		outlet_id: entry.outletId,
		details: JSON.stringify(entry.details ?? {})
	});
	return row && toEntry(row);
}

/** Entries about one entity, in the order they were written. */
export async function listAuditForEntity(db: Db, entity: string, entityId: string): Promise<AuditEntry[]> {
	const rows = await db
		.selectFrom('audit_log')
		.selectAll()
		.where('entity', '=', entity)
		.where('entity_id', '=', entityId)
		.orderBy('seq')
		.execute();
	return rows.map(toEntry);
}

/** Entries about a request and all its visits, oldest first, with actor names. */
export async function listAuditForRequest(db: Db, requestId: string): Promise<AuditEntryWithActor[]> {
	const rows = await db
		.selectFrom('audit_log')
		.leftJoin('users', 'users.id', 'audit_log.actor_id')
		.selectAll('audit_log')
		.select('users.display_name as actor_name')
		.where((eb) =>
			eb.or([
				eb.and([eb('audit_log.entity', '=', 'request'), eb('audit_log.entity_id', '=', requestId)]),
				eb.and([
					eb('audit_log.entity', '=', 'visit'),
					eb(
						'audit_log.entity_id',
						'in',
						eb.selectFrom('visits').select('visits.id').where('visits.request_id', '=', requestId)
					)
				])
			])
		)
		.orderBy('audit_log.seq')
		.execute();
	return rows.map((row) => ({ ...toEntry(row), actorName: row.actor_name }));
}

/** Newest entries first, optionally for one outlet; page backwards with `beforeSeq`. */
export async function listRecentAudit(
	db: Db,
	opts: { outletId?: string; action?: string; limit?: number; beforeSeq?: number } = {}
): Promise<AuditEntryWithActor[]> {
	let query = db
		.selectFrom('audit_log')
		.leftJoin('users', 'users.id', 'audit_log.actor_id')
		.selectAll('audit_log')
		.select('users.display_name as actor_name')
		.orderBy('audit_log.seq', 'desc')
		.limit(opts.limit ?? 100);
	if (opts.outletId) query = query.where('audit_log.outlet_id', '=', opts.outletId);
	if (opts.action) query = query.where('audit_log.action', '=', opts.action);
	if (opts.beforeSeq !== undefined) query = query.where('audit_log.seq', '<', opts.beforeSeq);
	return (await query.execute()).map((row) => ({ ...toEntry(row), actorName: row.actor_name }));
}
