import type { Db } from '$lib/server/repos/common';
import type { MutationResult, PushResponse } from '$lib/client/sync/protocol';
import { applyMutation, type IncomingMutation, type SyncContext } from './apply';
import { getSyncVisit } from './field-visits';

/**
 * Applies a batch in order, each mutation in its own transaction. Two rules keep a device's
 * story consistent:
 * - after a visit's mutation is rejected, that visit's later mutations in the batch are not
 *   processed (no result): they wait on the device until the user resolves the conflict;
 * - an unexpected failure stops the batch: what was applied is answered, the rest has no result
 *   and is sent again (replays of the applied ones answer `already_applied`).
 * Each answer carries the visit as the batch left it: read once per visit after the batch (a
 * visit's later mutations only add to what its earlier answers would have shown), not once per
 * mutation — that re-read was most of a progress push's time.
 */
export async function pushMutations(db: Db, ctx: SyncContext, mutations: IncomingMutation[]): Promise<PushResponse> {
	const results: MutationResult[] = [];
	const blocked = new Set<string>();
	const deferred = new Map<string, string>();
	const batchCtx: SyncContext = { ...ctx, deferredVisits: deferred };
	for (const m of mutations) {
		if (blocked.has(m.entityId)) continue;
		let result: MutationResult;
		try {
			result = await applyMutation(db, batchCtx, m);
		} catch (err) {
			if (results.length === 0) throw err; // nothing done: let the route answer 500
			console.error(`[doorstep] sync push stopped after ${results.length} of ${mutations.length}: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`);
			break;
		}
		results.push(result);
		if (result.status === 'rejected' && m.type !== 'sync.discard') blocked.add(m.entityId);
	}
	const views = new Map<string, Awaited<ReturnType<typeof getSyncVisit>>>();
	for (const visitId of new Set(deferred.values())) views.set(visitId, await getSyncVisit(db, ctx.user, visitId));
	for (const r of results) {
		const visitId = deferred.get(r.id);
		if (visitId !== undefined) r.visit = views.get(visitId) ?? null;
	}
	return { results };
}
