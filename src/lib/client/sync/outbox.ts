/*
 * The outbox: every change made on the tablet, in order, until the server has decided it.
 * Applied mutations leave; rejected ones stay (marked) until the user resolves them; later
 * mutations of a visit with a rejection are held back, so nothing is applied on top of a
 * refused step without the user's say.
 */
import type { DoorstepDb, OutboxEntry } from '../db';
import { readSyncState } from '../sync-state';
import { toLocalVisit } from './pull-apply';
import { rememberApplied } from './visit-sync';
import { CLIENT_BATCH, type Mutation, type MutationResult, type MutationType, type PayloadByType } from './protocol';

export const newMutationId = (): string => globalThis.crypto.randomUUID();

/**
 * Appends a mutation of `entityId` (a visit) with the version the device has of it. Call inside
 * the same Dexie transaction as the draft change (see visit-actions.ts) so both land or neither.
 */
export async function enqueue<T extends MutationType>(
	db: DoorstepDb,
	type: T,
	entityId: string,
	payload: PayloadByType[T],
	now: Date = new Date()
): Promise<OutboxEntry<T>> {
	const visit = await db.visits.get(entityId);
	const { deviceId } = await readSyncState(db);
	const entry: OutboxEntry<T> = {
		id: newMutationId(),
		type,
		entityId,
		baseVersion: visit?.version ?? 0,
		payload,
		createdAt: now.toISOString(),
		deviceId: deviceId ?? '',
		status: 'pending',
		attempts: 0,
		lastAttemptAt: null,
		rejection: null,
		supersedes: []
	};
	entry.seq = await db.outbox.add(entry as OutboxEntry);
	return entry;
}

export async function outboxInOrder(db: DoorstepDb): Promise<OutboxEntry[]> {
	return db.outbox.orderBy('seq').toArray();
}

/** Visits with a rejected mutation: their later mutations wait for the user. */
export function blockedEntities(entries: OutboxEntry[]): Set<string> {
	// A refused discard blocks nothing: it only failed to record what the user gave up.
	return new Set(entries.filter((e) => e.status === 'rejected' && e.type !== 'sync.discard').map((e) => e.entityId));
}

/** Pending mutations that may go out now, counted as the status bar's "waiting to sync". */
export async function countPending(db: DoorstepDb): Promise<number> {
	return db.outbox.where('status').equals('pending').count();
}

/** Visits with pending mutations: one visit's many taps are one thing waiting, for people. */
export async function countPendingVisits(db: DoorstepDb): Promise<number> {
	const entries = await db.outbox.where('status').equals('pending').toArray();
	return new Set(entries.map((e) => e.entityId)).size;
}

export function toMutation(entry: OutboxEntry, deviceId: string): Mutation {
	const { id, type, entityId, baseVersion, payload, createdAt } = entry;
	return { id, type, entityId, baseVersion, payload, createdAt, deviceId: entry.deviceId || deviceId } as Mutation;
}

/** The next batch in outbox order, skipping blocked visits, within the client's size limits. */
export async function nextBatch(db: DoorstepDb, deviceId: string, limits = CLIENT_BATCH): Promise<Mutation[]> {
	const entries = await outboxInOrder(db);
	const blocked = blockedEntities(entries);
	const batch: Mutation[] = [];
	let bytes = 0;
	for (const entry of entries) {
		if (entry.status !== 'pending' || blocked.has(entry.entityId)) continue;
		const mutation = toMutation(entry, deviceId);
		const size = JSON.stringify(mutation).length;
		// Always send at least one, so a single large mutation is never stuck.
		if (batch.length > 0 && (batch.length >= limits.maxMutations || bytes + size > limits.maxBytes)) break;
		batch.push(mutation);
		bytes += size;
	}
	return batch;
}

/**
 * Records the server's answers: applied → removed (the visit refreshed from the answer);
 * rejected → kept, marked, with the server's version for the conflict view; no answer → still
 * pending, its attempt counted. One transaction: a crash leaves all or none recorded.
 */
export async function applyPushResults(db: DoorstepDb, batch: Mutation[], results: MutationResult[], now: Date = new Date()): Promise<void> {
	const at = now.toISOString();
	const byId = new Map(results.map((r) => [r.id, r]));
	await db.transaction('rw', db.outbox, db.visits, db.residents, db.syncState, async () => {
		const applied: string[] = [];
		for (const mutation of batch) {
			const entry = await db.outbox.where('id').equals(mutation.id).first();
			if (!entry) continue;
			const result = byId.get(mutation.id);
			if (!result) {
				await db.outbox.update(entry.seq!, { attempts: entry.attempts + 1, lastAttemptAt: at, deviceId: mutation.deviceId });
			} else if (result.status === 'rejected') {
				await db.outbox.update(entry.seq!, {
					status: 'rejected',
					attempts: entry.attempts + 1,
					lastAttemptAt: at,
					deviceId: mutation.deviceId,
					rejection: { reason: result.reason, at, server: result.visit }
				});
			} else {
				await db.outbox.delete(entry.seq!);
				applied.push(entry.entityId);
				const local = result.visit ? await db.visits.get(result.visit.id) : undefined;
				// Only refresh a visit the device holds, and never with an older version.
				if (result.visit && local && local.withdrawnAt === null && result.visit.version >= local.version) {
					await db.visits.put(toLocalVisit(result.visit, at));
					if (result.visit.resident) await db.residents.put(result.visit.resident);
				}
			}
		}
		if (applied.length) {
			const state = await readSyncState(db);
			await db.syncState.put({ ...state, visitAppliedAt: rememberApplied(state.visitAppliedAt, applied, at) });
		}
	});
}
