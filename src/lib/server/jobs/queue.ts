/*
 * The job queue on the database (issue 15): reminders and their retries.
 *
 * - A job has a due time, a kind, a JSON payload and a unique idempotency key: enqueueing the
 *   same work twice (a use case retried, two servers) keeps one job.
 * - Claiming is one UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING: on PostgreSQL the inner
 *   SELECT takes `FOR UPDATE SKIP LOCKED`, so several server processes claim disjoint jobs
 *   without waiting on each other; on SQLite the single statement runs alone (one writer).
 *   A claim is a lease (`locked_until`): a worker that dies leaves the job to be claimed again
 *   after the lease (at-least-once). Handlers that must not repeat a side effect (an SMS) mark
 *   the job `sending` first (`beginSideEffect`): a `sending` job is never claimed again.
 * - A failed attempt is retried after an exponential back-off (lib/domain/backoff.ts); after
 *   `max_attempts` the job is `dead` and shows on the admin's page.
 */
import { sql } from 'kysely';
import { backoffMs } from '$lib/domain/backoff';
import { dialectOf } from '$lib/server/db/dialect';
import type { JobsTable } from '$lib/server/db/schema-notify';
import { newId, type Db } from '$lib/server/repos/common';

export const JOB_STATUSES = ['pending', 'running', 'sending', 'done', 'dead', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface Job {
	id: string;
	kind: string;
	key: string;
	payload: Record<string, unknown>;
	requestId: string | null;
	visitId: string | null;
	status: JobStatus;
	dueAt: string;
	attempts: number;
	maxAttempts: number;
	lockedBy: string | null;
	lastError: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface NewJob {
	kind: string;
	key: string;
	payload: Record<string, unknown>;
	dueAt: string;
	requestId?: string | null;
	visitId?: string | null;
	maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 6;
export const LEASE_MS = 5 * 60_000;
const MAX_ERROR = 300;

function toJob(r: JobsTable): Job {
	let payload: Record<string, unknown> = {};
	try {
		payload = JSON.parse(r.payload) as Record<string, unknown>;
	} catch {
		/* an unreadable payload fails in its handler */
	}
	return {
		id: r.id,
		kind: r.kind,
		key: r.idempotency_key,
		payload,
		requestId: r.request_id,
		visitId: r.visit_id,
		status: r.status as JobStatus,
		dueAt: r.due_at,
		attempts: Number(r.attempts),
		maxAttempts: Number(r.max_attempts),
		lockedBy: r.locked_by,
		lastError: r.last_error,
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

/** Adds a job unless one with the same key exists; true when this call added it. */
export async function enqueue(db: Db, job: NewJob, now: Date): Promise<boolean> {
	const at = now.toISOString();
	const result = await db
		.insertInto('jobs')
		.values({
			id: newId(),
			kind: job.kind,
			idempotency_key: job.key,
			payload: JSON.stringify(job.payload),
			request_id: job.requestId ?? null,
			visit_id: job.visitId ?? null,
			status: 'pending',
			due_at: job.dueAt,
			attempts: 0,
			max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
			locked_by: null,
			locked_until: null,
			last_error: null,
			created_at: at,
			updated_at: at
		})
		.onConflict((oc) => oc.column('idempotency_key').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Cancels the visit's jobs that have not started their side effect (pending, or claimed but
 * not yet sending); returns them. Call inside the transaction that cancels or moves the visit.
 */
export async function cancelVisitJobs(db: Db, visitId: string, now: Date, opts: { kinds?: string[] } = {}): Promise<Job[]> {
	let query = db
		.updateTable('jobs')
		.set({ status: 'cancelled', locked_by: null, locked_until: null, updated_at: now.toISOString() })
		.where('visit_id', '=', visitId)
		.where('status', 'in', ['pending', 'running']);
	if (opts.kinds) query = query.where('kind', 'in', opts.kinds);
	const rows = await query.returningAll().execute();
	return rows.map(toJob);
}

/** Claims up to `limit` due jobs (and jobs whose lease ran out) for `workerId`. */
export async function claimDue(db: Db, workerId: string, now: Date, opts: { limit?: number; leaseMs?: number } = {}): Promise<Job[]> {
	const at = now.toISOString();
	const lease = new Date(now.getTime() + (opts.leaseMs ?? LEASE_MS)).toISOString();
	const limit = Math.max(1, Math.min(opts.limit ?? 10, 100));
	const claimable = sql`((status = 'pending' and due_at <= ${at}) or (status = 'running' and locked_until < ${at}))`;
	const lock = dialectOf(db as never) === 'postgres' ? sql`for update skip locked` : sql``;
	const result = await sql<JobsTable>`
		update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${lease}, attempts = attempts + 1, updated_at = ${at}
		where id in (select id from jobs where ${claimable} order by due_at limit ${limit} ${lock})
		and ${claimable}
		returning *`.execute(db);
	return result.rows.map(toJob).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * The point of no return of a side effect: `running` (claimed by this worker) → `sending`. False
 * when the job was cancelled (or re-claimed) meanwhile: then the side effect must not happen.
 * Pass the transaction in which the handler checked its preconditions, so both are one decision.
 */
export async function beginSideEffect(db: Db, job: Job, workerId: string, now: Date): Promise<boolean> {
	const result = await db
		.updateTable('jobs')
		.set({ status: 'sending', updated_at: now.toISOString() })
		.where('id', '=', job.id)
		.where('status', '=', 'running')
		.where('locked_by', '=', workerId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

export async function completeJob(db: Db, job: Job, workerId: string, now: Date): Promise<void> {
	await db
		.updateTable('jobs')
		.set({ status: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: now.toISOString() })
		.where('id', '=', job.id)
		.where('locked_by', '=', workerId)
		.where('status', 'in', ['running', 'sending'])
		.execute();
}

/** A failed attempt: back to `pending` after the back-off, or `dead` at the last attempt. */
export async function failJob(db: Db, job: Job, workerId: string, error: string, now: Date, opts: { permanent?: boolean; random?: () => number } = {}): Promise<'retry' | 'dead'> {
	const dead = opts.permanent || job.attempts >= job.maxAttempts;
	const dueAt = new Date(now.getTime() + backoffMs(job.attempts, { random: opts.random })).toISOString();
	await db
		.updateTable('jobs')
		.set({ status: dead ? 'dead' : 'pending', due_at: dead ? job.dueAt : dueAt, locked_by: null, locked_until: null, last_error: error.slice(0, MAX_ERROR), updated_at: now.toISOString() })
		.where('id', '=', job.id)
		.where('locked_by', '=', workerId)
		.where('status', 'in', ['running', 'sending'])
		.execute();
	return dead ? 'dead' : 'retry';
}

/** `sending` jobs whose worker vanished mid-call: the outcome is unknown, so never resent. */
export async function reapLostSends(db: Db, now: Date): Promise<Job[]> {
	const rows = await db
		.updateTable('jobs')
		.set({ status: 'dead', last_error: 'outcome_unknown', locked_by: null, locked_until: null, updated_at: now.toISOString() })
		.where('status', '=', 'sending')
		.where('locked_until', '<', now.toISOString())
		.returningAll()
		.execute();
	return rows.map(toJob);
}

export async function listJobs(db: Db, opts: { statuses?: JobStatus[]; limit?: number } = {}): Promise<Job[]> {
	let query = db.selectFrom('jobs').selectAll();
	if (opts.statuses) query = query.where('status', 'in', opts.statuses);
	const rows = await query.orderBy('updated_at', 'desc').limit(Math.min(opts.limit ?? 100, 500)).execute();
	return rows.map(toJob);
}

export async function countJobsByStatus(db: Db): Promise<Record<JobStatus, number>> {
	const rows = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
	const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
	for (const r of rows) if (r.status in out) out[r.status as JobStatus] = Number(r.n);
	return out;
}

/** The admin puts a dead job back in the queue (due now, attempts counted afresh). */
export async function retryDeadJob(db: Db, id: string, now: Date): Promise<boolean> {
	const result = await db
		.updateTable('jobs')
		.set({ status: 'pending', attempts: 0, due_at: now.toISOString(), last_error: null, updated_at: now.toISOString() })
		.where('id', '=', id)
		.where('status', '=', 'dead')
		.where('last_error', '!=', 'outcome_unknown')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}
