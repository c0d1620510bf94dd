import type { Db } from '$lib/server/repos/common';
import type { MutationResult, PushResponse } from '$lib/client/sync/protocol';
import { applyMutation, type IncomingMutation, type SyncContext } from './apply';

/**
 * Applies a batch in order, each mutation in its own transaction. Two rules keep a device's
 * story consistent:
 * - after a visit's mutation is rejected, that visit's later mutations in the batch are not
 *   processed (no result): they wait on the device until the user resolves the conflict;
 * - an unexpected failure stops the batch: what was applied is answered, the rest has no result
 *   and is sent again (replays of the applied ones answer `already_applied`).
 */
export async function pushMutations(db: Db, ctx: SyncContext, mutations: IncomingMutation[]): Promise<PushResponse> {
	const results: MutationResult[] = [];
	const blocked = new Set<string>();
	for (const m of mutations) {
		if (blocked.has(m.entityId)) continue;
		let result: MutationResult;
		try {
			result = await applyMutation(db, ctx, m);
		} catch (err) {
			if (results.length === 0) throw err; // nothing done: let the route answer 500
			console.error(`[doorstep] sync push stopped after ${results.length} of ${mutations.length}: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`);
			break;
		}
		results.push(result);
		if (result.status === 'rejected' && m.type !== 'sync.discard') blocked.add(m.entityId);
	}
	return { results };
}
