import type { Db } from '$lib/server/repos/common';
import type { MutationResult, PushResponse } from '$lib/client/sync/protocol';
import { deferAuditAppends, flushDeferredAudit } from '$lib/server/audit-chain/store';
import { lockVisits } from '$lib/server/repos/visit-lock';
import { inTransaction } from '$lib/server/workflow/context';
import { applyMutation, type IncomingMutation, type SyncContext } from './apply';
import { getSyncVisit } from './field-visits';
import { SyncBatch } from './batch';
import { findDecided } from './mutation-log';

/**
 * Applies a batch in order, in ONE transaction: each mutation in a savepoint of it (a refused
 * one is undone alone and its refusal recorded), all decisions committed together. One commit,
 * one look-up of the known ids, each visit locked (in id order) and read once, and the audit
 * entries appended at the end under one chain lock: that is where a push's time went when each
 * mutation had its own transaction (bench/sync/RESULTS.md). Two rules keep a device's story
 * consistent:
 * - after a visit's mutation is rejected, that visit's later mutations in the batch are not
 *   processed (no result): they wait on the device until the user resolves the conflict;
 * - an unexpected failure stops the batch: what was applied before it is committed and
 *   answered, the rest has no result and is sent again (replays answer `already_applied`). A
 *   failure of the commit itself answers nothing: the whole batch is sent again.
 * Each answer carries the visit as the batch left it: read once per visit after the commit.
 */
export async function pushMutations(db: Db, ctx: SyncContext, mutations: IncomingMutation[]): Promise<PushResponse> {
	const results: MutationResult[] = [];
	const deferred = new Map<string, string>();
	await inTransaction(db, async (tx) => {
		deferAuditAppends(tx);
		await lockVisits(tx, mutations.map((m) => m.entityId));
		// Read under the locks: a concurrent push of the same visit committed before them.
		const known = await findDecided(tx, [...new Set(mutations.map((m) => m.id))]);
		const batchCtx: SyncContext = { ...ctx, deferredVisits: deferred, batch: new SyncBatch(tx, ctx.now, known) };
		const blocked = new Set<string>();
		for (const m of mutations) {
			if (blocked.has(m.entityId)) continue;
			let result: MutationResult;
			try {
				result = await applyMutation(tx, batchCtx, m);
			} catch (err) {
				if (results.length === 0) throw err; // nothing done: let the route answer 500
				console.error(`[doorstep] sync push stopped after ${results.length} of ${mutations.length}: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`);
				break;
			}
			results.push(result);
			if (result.status === 'rejected' && m.type !== 'sync.discard') blocked.add(m.entityId);
		}
		await batchCtx.batch!.flush();
		await flushDeferredAudit(tx);
	});
	const views = new Map<string, Awaited<ReturnType<typeof getSyncVisit>>>();
	for (const visitId of new Set(deferred.values())) views.set(visitId, await getSyncVisit(db, ctx.user, visitId));
	for (const r of results) {
		const visitId = deferred.get(r.id);
		if (visitId !== undefined) r.visit = views.get(visitId) ?? null;
	}
	return { results };
}
