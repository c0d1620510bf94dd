/*
 * Time-driven notices for outlet heads: a request whose decision or visit time limit ends
 * today, and one past it. No event causes these, so the job worker sweeps (every few minutes);
 * each notice has a dedupe key per request, clock and deadline, so repeated sweeps, several
 * server processes and restarts add each one exactly once per head.
 */
import type { RequestStatus } from '$lib/domain/status';
import type { Db } from '$lib/server/repos/common';
import { loadSlaContext, slaOf } from '$lib/server/views/sla';
import { outletHeads } from './recipients';
import { notifyUsers } from './store';
import { inTransaction } from '$lib/server/workflow/context';

export async function sweepDeadlines(db: Db, now: Date = new Date()): Promise<number> {
	const ctx = await loadSlaContext(db, now);
	const rows = await db
		.selectFrom('requests')
		.select(['id', 'ref', 'outlet_id', 'status', 'created_at', 'decided_at'])
		.where('status', 'in', ['submitted', 'approved'])
		.execute();
	const heads = new Map<string, string[]>();
	let written = 0;
	for (const r of rows) {
		const sla = slaOf(ctx, { outletId: r.outlet_id, status: r.status as RequestStatus, createdAt: r.created_at, decidedAt: r.decided_at });
		if (!sla || sla.level === 'ok') continue;
		if (!heads.has(r.outlet_id)) heads.set(r.outlet_id, await outletHeads(db, r.outlet_id));
		const code = sla.level === 'due_today' ? 'deadline_today' : 'deadline_overdue';
		written += await inTransaction(db, (tx) =>
			notifyUsers(
				tx,
				heads.get(r.outlet_id)!,
				{ code, params: { ref: r.ref, kindCode: `ntf_kind_${sla.kind}` }, link: `/approvals/${r.id}`, entity: 'request', entityId: r.id, dedupeKey: `${code}:${r.id}:${sla.kind}:${sla.deadline}` },
				now
			)
		);
	}
	return written;
}
