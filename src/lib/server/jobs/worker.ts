/*
 * The in-process job worker: every JOBS_POLL_SECONDS it claims due jobs and runs their handler,
 * reaps lost sends, and runs the time-limit sweep (lib/server/notify/sla-sweep.ts). Several
 * server processes may run it against one PostgreSQL database (claims skip each other's
 * locked rows); on SQLite it is the one process's loop.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '$lib/server/repos/common';
import { claimDue, failJob, reapLostSends, type Job } from './queue';
import { runReminderJob, type ReminderDeps } from '$lib/server/sms/reminder-job';
import { SMS_JOB } from '$lib/server/sms/reminders';
import { notifyUsers } from '$lib/server/notify/store';
import { admins } from '$lib/server/notify/recipients';
import { inTransaction } from '$lib/server/workflow/context';

export interface WorkerDeps {
	workerId?: string;
	reminders: ReminderDeps;
	now?: () => Date;
}

async function runOne(db: Db, job: Job, workerId: string, deps: WorkerDeps): Promise<string> {
	if (job.kind === SMS_JOB) return runReminderJob(db, job, workerId, deps.reminders);
	// An unknown kind (written by a newer version?) cannot succeed here: dead, for the admin.
	return failJob(db, job, workerId, 'unknown_kind', (deps.now ?? (() => new Date()))(), { permanent: true });
}

/** One pass: claims up to `limit` due jobs and runs them one after another; returns outcomes. */
export async function runDueJobs(db: Db, deps: WorkerDeps, opts: { limit?: number } = {}): Promise<string[]> {
	const workerId = deps.workerId ?? `w-${randomUUID().slice(0, 8)}`;
	const now = (deps.now ?? (() => new Date()))();
	const lost = await inTransaction(db, async (tx) => {
		const jobs = await reapLostSends(tx, now);
		if (jobs.length) await notifyUsers(tx, await admins(tx), { code: 'reminder_failed', params: { ref: '', reasonCode: 'outcome_unknown' }, link: '/admin/jobs' }, now);
		return jobs;
	});
	const outcomes: string[] = lost.map(() => 'dead');
	const jobs = await claimDue(db, workerId, now, { limit: opts.limit });
	for (const job of jobs) {
		try {
			outcomes.push(await runOne(db, job, workerId, deps));
		} catch (err) {
			// A handler that threw (database hiccup): retried after the back-off like any failure.
			const message = err instanceof Error ? err.name : 'error';
			outcomes.push(await failJob(db, job, workerId, message, (deps.now ?? (() => new Date()))()).catch(() => 'error'));
		}
	}
	return outcomes;
}

/** Starts the loop; returns a stop function. Errors are logged (without payloads), never thrown. */
export function startJobWorker(db: Db, deps: WorkerDeps, pollSeconds: number, extra?: () => Promise<void>): () => void {
	const workerId = deps.workerId ?? `w-${randomUUID().slice(0, 8)}`;
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await runDueJobs(db, { ...deps, workerId });
			await extra?.();
		} catch (err) {
			console.error(`[doorstep] job worker: ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : 'error'}`);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(() => void tick(), pollSeconds * 1000);
	timer.unref?.();
	void tick();
	return () => clearInterval(timer);
}
