/*
 * `sync_mutations`: every mutation id the server has decided, with the decision. The primary key
 * is the client's mutation id, so the row is both the idempotency record and the lock: a
 * concurrent replay of the same id waits on (PostgreSQL) or fails on (SQLite) the insert.
 */
import type { Db } from '$lib/server/repos/common';
import type { RejectReason } from '$lib/client/sync/protocol';

export type Decision = 'applied' | 'rejected' | 'discarded';

export interface RecordedMutation {
	id: string;
	userId: string;
	result: Decision;
	reason: RejectReason | null;
	/** SHA-256 of the canonical body (./body-hash.ts); null for older rows and recorded discards. */
	bodyHash: string | null;
}

export interface MutationRecord {
	id: string;
	userId: string;
	deviceId: string;
	type: string;
	entityId: string;
	baseVersion: number;
	result: Decision;
	reason: RejectReason | null;
	bodyHash: string | null;
}

export async function findRecorded(db: Db, id: string): Promise<RecordedMutation | null> {
	const row = await db.selectFrom('sync_mutations').select(['id', 'user_id', 'result', 'reason', 'body_hash']).where('id', '=', id).executeTakeFirst();
	return row ? { id: row.id, userId: row.user_id, result: row.result as Decision, reason: row.reason, bodyHash: row.body_hash } : null;
}

const recordRow = (record: MutationRecord, now: Date) => ({
	id: record.id,
	user_id: record.userId,
	device_id: record.deviceId,
	type: record.type,
	entity_id: record.entityId,
	base_version: record.baseVersion,
	received_at: now.toISOString(),
	result: record.result,
	reason: record.reason,
	response: JSON.stringify({ status: record.result, reason: record.reason }),
	body_hash: record.bodyHash
});

export async function insertRecord(db: Db, record: MutationRecord, now: Date): Promise<void> {
	await db.insertInto('sync_mutations').values(recordRow(record, now)).execute();
}

/** Several records in one statement (a batch's buffered mutations; at most a batch's size). */
export async function insertRecords(db: Db, records: MutationRecord[], now: Date): Promise<void> {
	if (records.length > 0) await db.insertInto('sync_mutations').values(records.map((r) => recordRow(r, now))).execute();
}

/** Which of `ids` are already decided (for discards: never overwrite a decision). */
export async function findDecided(db: Db, ids: string[]): Promise<Map<string, RecordedMutation>> {
	if (ids.length === 0) return new Map();
	const rows = await db.selectFrom('sync_mutations').select(['id', 'user_id', 'result', 'reason', 'body_hash']).where('id', 'in', ids).execute();
	return new Map(rows.map((r) => [r.id, { id: r.id, userId: r.user_id, result: r.result as Decision, reason: r.reason, bodyHash: r.body_hash }]));
}
