/*
 * Conflicts: local work the server refused, or whose visit left the device. They are derived
 * from the outbox (never stored apart), so a conflict cannot be lost while its work exists.
 * The user resolves one per visit:
 * - `discard`: the work is dropped on the device and a `sync.discard` mutation tells the server
 *   what was dropped (its audit log keeps the device's side);
 * - `retry`: the refused mutation is rebased onto the server's current version with a NEW id
 *   (the old id stays refused on the server) and sent again with the held ones.
 */
import type { DoorstepDb, LocalVisit, OutboxEntry, VisitDraft } from '../db';
import { enqueue, newMutationId, outboxInOrder } from './outbox';
import { pruneLocal, toLocalVisit } from './pull-apply';
import type { DiscardedMutation, SyncVisit } from './protocol';

export interface ConflictMutation {
	id: string;
	type: string;
	createdAt: string;
	baseVersion: number;
	status: OutboxEntry['status'];
	reason: string | null;
}

export interface SyncConflict {
	visitId: string;
	/** `rejected`: the server refused a mutation; `withdrawn`: the visit left this user. */
	kind: 'rejected' | 'withdrawn';
	/** The reason code of the refusal, or 'withdrawn'. */
	reason: string;
	/** What the device has: the visit as it saw it, the draft, the waiting mutations. */
	device: { visit: LocalVisit | null; draft: VisitDraft | null; mutations: ConflictMutation[] };
	/** The server's visit when it refused; null when the user may not see it any more. */
	server: SyncVisit | null;
	/** Retrying makes sense only while the server's visit is still open for this user. */
	canRetry: boolean;
	detectedAt: string;
}

export type ConflictResolution = 'discard' | 'retry';

const toConflictMutation = (e: OutboxEntry): ConflictMutation => ({
	id: e.id,
	type: e.type,
	createdAt: e.createdAt,
	baseVersion: e.baseVersion,
	status: e.status,
	reason: e.rejection?.reason ?? null
});

export async function listConflicts(db: DoorstepDb): Promise<SyncConflict[]> {
	const entries = await outboxInOrder(db);
	const byVisit = new Map<string, OutboxEntry[]>();
	for (const e of entries) byVisit.set(e.entityId, [...(byVisit.get(e.entityId) ?? []), e]);
	const conflicts: SyncConflict[] = [];
	for (const [visitId, list] of byVisit) {
		// A discard is the resolution itself: on its own it is no conflict.
		const work = list.filter((e) => e.type !== 'sync.discard');
		if (work.length === 0) continue;
		const rejected = work.find((e) => e.status === 'rejected');
		const visit = (await db.visits.get(visitId)) ?? null;
		if (!rejected && !visit?.withdrawnAt) continue;
		const server = rejected?.rejection?.server ?? null;
		conflicts.push({
			visitId,
			kind: rejected ? 'rejected' : 'withdrawn',
			reason: rejected?.rejection?.reason ?? 'withdrawn',
			device: { visit, draft: (await db.drafts.get(visitId)) ?? null, mutations: work.map(toConflictMutation) },
			server,
			canRetry: server !== null && server.status === 'scheduled' && server.requestStatus === 'approved',
			detectedAt: rejected?.rejection?.at ?? visit?.withdrawnAt ?? ''
		});
	}
	return conflicts;
}

/** What the audit log may hold of a draft: never the signature image. */
function draftSummary(draft: VisitDraft | undefined): Record<string, unknown> {
	if (!draft) return {};
	const { consent, ...rest } = draft;
	return { ...rest, consent: consent ? { consentBy: consent.consentBy, name: consent.name, relation: consent.relation, signedAt: consent.signedAt } : null };
}

async function discard(db: DoorstepDb, visitId: string, now: Date): Promise<void> {
	await db.transaction('rw', [db.outbox, db.drafts, db.visits, db.syncState], async () => {
		const entries = (await outboxInOrder(db)).filter((e) => e.entityId === visitId && e.type !== 'sync.discard');
		if (entries.length === 0) return;
		const discarded: DiscardedMutation[] = entries.map((e) => ({
			id: e.id,
			type: e.type,
			baseVersion: e.baseVersion,
			createdAt: e.createdAt,
			reason: e.rejection?.reason ?? null
		}));
		const summary = draftSummary(await db.drafts.get(visitId));
		await db.outbox.bulkDelete(entries.map((e) => e.seq!));
		await db.drafts.delete(visitId);
		await enqueue(db, 'sync.discard', visitId, { discarded, summary }, now);
	});
	await pruneLocal(db);
}

async function retry(db: DoorstepDb, visitId: string, now: Date): Promise<void> {
	await db.transaction('rw', [db.outbox, db.visits], async () => {
		const entries = (await outboxInOrder(db)).filter((e) => e.entityId === visitId);
		const rejected = entries.find((e) => e.status === 'rejected');
		const server = rejected?.rejection?.server;
		if (!rejected || !server) throw new Error('nothing to retry for this visit');
		// The user has seen the server's visit: it becomes the device's, and the base of the work.
		await db.visits.put(toLocalVisit(server, now.toISOString()));
		for (const e of entries) {
			if (e.type === 'sync.discard') continue;
			const rebased = { baseVersion: server.version, status: 'pending' as const, rejection: null };
			if (e.status === 'rejected') {
				await db.outbox.update(e.seq!, { ...rebased, id: newMutationId(), supersedes: [...e.supersedes, e.id], attempts: 0 });
			} else {
				await db.outbox.update(e.seq!, rebased);
			}
		}
	});
}

export async function resolveConflict(db: DoorstepDb, visitId: string, resolution: ConflictResolution, now: Date = new Date()): Promise<void> {
	if (resolution === 'discard') await discard(db, visitId, now);
	else await retry(db, visitId, now);
}
