/*
 * Applies ONE pushed mutation exactly once. Either everything it does commits together with its
 * `sync_mutations` row and its audit entry, or (refused) nothing of it is kept except the
 * refusal, recorded with its own audit entry: the server keeps both the device's attempt and its
 * own state. Alone it runs in its own transactions; in a batch (./push.ts) in savepoints of the
 * batch's one transaction, which commits all of the batch's decisions together.
 */
import { createHash } from 'node:crypto';
import { recordAudit, type AuditAction } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import type { Tx } from '$lib/server/workflow/context';
import { inSavepoint } from '$lib/server/db/savepoint';
import { deferredAuditMark, dropDeferredAuditSince } from '$lib/server/audit-chain/store';
import { isMutationType, type Mutation, type MutationResult, type RejectReason } from '$lib/client/sync/protocol';
import { parsePayload } from '$lib/client/sync/protocol-schemas';
import { getVisit } from '$lib/server/repos/visits';
import { getSyncVisit } from './field-visits';
import { HANDLERS, loadTarget, type Target } from './handlers';
import { mutationBodyHash } from './body-hash';
import { findDecided, findRecorded, insertRecord, type MutationRecord, type RecordedMutation } from './mutation-log';
import { rejectionReason, SyncRejection } from './rejection';
import { BUFFERED_TYPES, type SyncBatch } from './batch';
import type { ProgressStore } from './progress-repo';
import { onSyncRefused } from '$lib/server/notify/events';

/** Refusals the tablet resolves by itself (it rebases, or the user discarded): no head is told. */
const ROUTINE_REFUSALS: ReadonlySet<string> = new Set(['err_version_conflict', 'err_discarded']);

export interface SyncContext {
	user: SessionUser;
	/** The device that pushed (header), which may differ from the one that created a mutation. */
	deviceId: string;
	now: Date;
	/**
	 * When set (a batch, ./push.ts): the visit of each answer is not read at once; the mutation id
	 * → visit id is noted here and the batch reads each visit ONCE after its last mutation.
	 */
	deferredVisits?: Map<string, string>;
	/** In a batch (./push.ts): its transaction's memory (./batch.ts). */
	batch?: SyncBatch;
}

/** All or nothing: a transaction of its own, or a savepoint of the batch's transaction. */
function atomically<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
	return db.isTransaction ? inSavepoint(db as Tx, () => work(db as Tx)) : db.transaction().execute(work);
}

async function targetOf(tx: Tx, ctx: SyncContext, visitId: string): Promise<Target> {
	const cached = ctx.batch?.targets.get(visitId);
	if (cached) return cached;
	// A batch locked its visits already (in id order, before anything else).
	const target = await loadTarget(tx, visitId, { locked: ctx.batch !== undefined });
	ctx.batch?.targets.set(visitId, target);
	return target;
}

/** The user's view of a visit for an answer, now or (in a batch) after the batch. */
async function answerVisit(db: Db, ctx: SyncContext, mutationId: string, visitId: string) {
	if (ctx.deferredVisits) {
		ctx.deferredVisits.set(mutationId, visitId);
		return null;
	}
	return getSyncVisit(db, ctx.user, visitId);
}

/** A mutation whose envelope passed the schema; type and payload are checked here. */
export type IncomingMutation = Omit<Mutation, 'type' | 'payload'> & { type: string; payload: unknown };

/**
 * What goes into the audit log about the device's change: no signature image, but its SHA-256,
 * so the hash chain also vouches for the signature kept in visit_progress.
 */
function summarise(m: IncomingMutation): Record<string, unknown> {
	const payload = m.payload && typeof m.payload === 'object' ? { ...(m.payload as Record<string, unknown>) } : {};
	if (payload.consent && typeof payload.consent === 'object') {
		const { signature, ...consent } = payload.consent as Record<string, unknown>;
		const signatureSha256 = typeof signature === 'string' ? createHash('sha256').update(signature, 'utf8').digest('hex') : null;
		payload.consent = { ...consent, signed: signatureSha256 !== null, signatureSha256 };
	}
	// The photo manifest: which photos, not their hashes and positions (kept in visit_progress).
	if (Array.isArray(payload.photos)) payload.photos = payload.photos.map((p: { id?: unknown; kind?: unknown }) => ({ id: p?.id, kind: p?.kind }));
	if (payload.summary && typeof payload.summary === 'object') {
		const { signature: _s, ...summary } = payload.summary as Record<string, unknown>;
		payload.summary = summary;
	}
	return payload;
}

async function audit(db: Db, ctx: SyncContext, m: IncomingMutation, target: Target, action: AuditAction, extra: Record<string, unknown>) {
	await recordAudit(db, {
		actorId: ctx.user.id,
		action,
		entity: 'visit',
		entityId: m.entityId,
		outletId: target.visit?.outletId ?? null,
		at: ctx.now,
		details: {
			mutationId: m.id,
			type: m.type,
			deviceId: ctx.deviceId,
			originDeviceId: m.deviceId,
			createdAt: m.createdAt,
			baseVersion: m.baseVersion,
			serverVersion: target.visit?.version ?? null,
			payload: summarise(m),
			...extra
		}
	});
}

async function replay(db: Db, ctx: SyncContext, recorded: RecordedMutation, m: IncomingMutation): Promise<MutationResult> {
	// Another user's id (a forged or colliding id): say nothing about it.
	if (recorded.userId !== ctx.user.id) return { id: recorded.id, status: 'rejected', reason: 'err_forbidden', visit: null };
	// A known id with other content is not a replay: answering "already applied" would make the
	// tablet drop the changed work. Refused, nothing applied, the tablet shows a conflict.
	if (recorded.bodyHash !== null && recorded.bodyHash !== mutationBodyHash(m)) return idReused(db, ctx, m);
	const visit = await visitFor(db, ctx, recorded.id);
	if (recorded.result === 'applied') return { id: recorded.id, status: 'already_applied', visit };
	const reason: RejectReason = recorded.result === 'discarded' ? 'err_discarded' : (recorded.reason ?? 'invalid_payload');
	return { id: recorded.id, status: 'rejected', reason, visit };
}

async function idReused(db: Db, ctx: SyncContext, m: IncomingMutation): Promise<MutationResult> {
	const visit = await getVisit(db, m.entityId);
	await recordAudit(db, {
		actorId: ctx.user.id,
		action: 'sync_id_reused',
		entity: 'visit',
		entityId: m.entityId,
		outletId: visit?.outletId ?? null,
		at: ctx.now,
		details: { mutationId: m.id, type: m.type, deviceId: ctx.deviceId, originDeviceId: m.deviceId, createdAt: m.createdAt, baseVersion: m.baseVersion }
	});
	return { id: m.id, status: 'rejected', reason: 'err_id_reused', visit: await answerVisit(db, ctx, m.id, m.entityId) };
}

async function visitFor(db: Db, ctx: SyncContext, mutationId: string) {
	const row = await db.selectFrom('sync_mutations').select('entity_id').where('id', '=', mutationId).executeTakeFirst();
	return row ? answerVisit(db, ctx, mutationId, row.entity_id) : null;
}

/** Records the discarded ids that the server never decided, so a stale copy cannot apply later. */
async function recordDiscards(db: Db, ctx: SyncContext, m: IncomingMutation): Promise<Record<string, unknown>> {
	const payload = parsePayload('sync.discard', m.payload)!;
	const ids = payload.discarded.map((d) => d.id);
	const decided = await findDecided(db, ids);
	const alreadyApplied = ids.filter((id) => decided.get(id)?.result === 'applied');
	for (const d of payload.discarded) {
		if (decided.has(d.id)) continue;
		const record = { id: d.id, userId: ctx.user.id, deviceId: ctx.deviceId, type: d.type, entityId: m.entityId, baseVersion: d.baseVersion, result: 'discarded' as const, reason: d.reason, bodyHash: null };
		await insertRecord(db, record, ctx.now);
	}
	return { discarded: payload.discarded, alreadyApplied };
}

/** Validates the type and payload; a refusal reason, or null when the handler may run. */
function envelopeProblem(m: IncomingMutation): RejectReason | null {
	if (!isMutationType(m.type)) return 'unknown_type';
	return parsePayload(m.type, m.payload) === null ? 'invalid_payload' : null;
}

async function recordRejection(db: Db, ctx: SyncContext, m: IncomingMutation, reason: RejectReason): Promise<MutationResult> {
	const target = await atomically(db, async (tx) => {
		const target = await targetOf(tx, ctx, m.entityId);
		const record: MutationRecord = { ...m, userId: ctx.user.id, deviceId: ctx.deviceId, result: 'rejected', reason, bodyHash: mutationBodyHash(m) };
		await insertRecord(tx, record, ctx.now);
		await audit(tx, ctx, m, target, 'sync_reject', { reason });
		ctx.batch?.noteDecided(record);
		if (!ROUTINE_REFUSALS.has(reason)) await onSyncRefused(tx, target.request, target.visit, reason, ctx.user.displayName, ctx.now);
		return target;
	});
	const visit = target.visit ? await answerVisit(db, ctx, m.id, target.visit.id) : null;
	return { id: m.id, status: 'rejected', reason, visit };
}

/** The type's handler on the parsed payload (progress in `progress`, else the database). */
function runHandler(tx: Tx, ctx: SyncContext, m: IncomingMutation, type: Mutation['type'], target: Target, progress?: ProgressStore): Promise<void> {
	const typed = { ...m, type, payload: parsePayload(type, m.payload) } as Mutation<typeof type>;
	return (HANDLERS[type] as (c: unknown, mm: unknown, t: Target) => Promise<void>)({ tx, user: ctx.user, now: ctx.now, progress }, typed, target);
}

/**
 * In a batch, a mutation that only merges progress runs in the batch's memory: its progress,
 * record and audit entry are written with the batch's (./batch.ts). Refused, its merge is undone.
 */
async function applyBuffered(tx: Tx, ctx: SyncContext, batch: SyncBatch, m: IncomingMutation, type: Mutation['type']): Promise<void> {
	const snapshot = batch.snapshot(m.entityId);
	const mark = deferredAuditMark(tx);
	try {
		const target = await targetOf(tx, ctx, m.entityId);
		await runHandler(tx, ctx, m, type, target, batch.progressStore);
		await audit(tx, ctx, m, target, 'sync_apply', {});
		batch.queueRecord({ ...m, userId: ctx.user.id, deviceId: ctx.deviceId, result: 'applied', reason: null, bodyHash: mutationBodyHash(m) });
	} catch (err) {
		batch.restore(m.entityId, snapshot);
		dropDeferredAuditSince(tx, mark);
		throw err;
	}
}

async function applyOnce(db: Db, ctx: SyncContext, m: IncomingMutation): Promise<MutationResult> {
	const problem = envelopeProblem(m);
	if (problem) throw new SyncRejection(problem);
	const type = m.type as Mutation['type'];
	const batch = ctx.batch;
	if (batch && BUFFERED_TYPES.has(type)) {
		await applyBuffered(db as Tx, ctx, batch, m, type);
		return { id: m.id, status: 'applied', visit: await answerVisit(db, ctx, m.id, m.entityId) };
	}
	// What the batch holds in memory goes in first: this handler reads the database.
	await batch?.flush();
	try {
		await atomically(db, async (tx) => {
			// The row first: it takes the idempotency key before any work is done.
			const record: MutationRecord = { ...m, userId: ctx.user.id, deviceId: ctx.deviceId, result: 'applied', reason: null, bodyHash: mutationBodyHash(m) };
			await insertRecord(tx, record, ctx.now);
			const target = await targetOf(tx, ctx, m.entityId);
			await runHandler(tx, ctx, m, type, target);
			const extra = type === 'sync.discard' ? await recordDiscards(tx, ctx, m) : {};
			await audit(tx, ctx, m, target, type === 'sync.discard' ? 'sync_discard' : 'sync_apply', extra);
			batch?.noteDecided(record);
		});
	} finally {
		// A completion changed its visit, request and progress: read them again if needed.
		if (type === 'visit.complete') batch?.forget(m.entityId);
	}
	return { id: m.id, status: 'applied', visit: await answerVisit(db, ctx, m.id, m.entityId) };
}

/** A decision on `id` made meanwhile: by this batch, or by a concurrent push (database). */
async function decidedMeanwhile(db: Db, ctx: SyncContext, id: string): Promise<RecordedMutation | null> {
	return ctx.batch?.decided.get(id) ?? findRecorded(db, id);
}

/**
 * Applies `m` once: a replayed id answers from the record. Definitive refusals are recorded and
 * answered as `rejected`; anything else (database down, a lost race) is thrown so the caller
 * stops the batch and the device retries.
 */
export async function applyMutation(db: Db, ctx: SyncContext, m: IncomingMutation): Promise<MutationResult> {
	// A batch read the known ids once, under its locks, and notes what it decides itself.
	const recorded = ctx.batch ? (ctx.batch.decided.get(m.id) ?? null) : await findRecorded(db, m.id);
	if (recorded) return replay(db, ctx, recorded, m);
	try {
		return await applyOnce(db, ctx, m);
	} catch (err) {
		const reason = rejectionReason(err);
		// A concurrent push of the same id won the insert: answer as a replay.
		const raced = await decidedMeanwhile(db, ctx, m.id);
		if (raced) return replay(db, ctx, raced, m);
		if (reason === null) throw err;
		try {
			return await recordRejection(db, ctx, m, reason);
		} catch (recordErr) {
			const racedAgain = await decidedMeanwhile(db, ctx, m.id);
			if (racedAgain) return replay(db, ctx, racedAgain, m);
			throw recordErr;
		}
	}
}
