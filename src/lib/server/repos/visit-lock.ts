import { dialectOf } from '$lib/server/db/dialect';
import type { Db } from './common';

/*
 * Serialises the writers of one visit's evidence: the completion that supersedes photos and the
 * upload that adds one. Without it, on PostgreSQL (READ COMMITTED, a pool of connections) an
 * upload could check "not completed yet", then insert its photo while the completion, not yet
 * committed, deletes the photos it can see: the retake would stay. Both take this lock first
 * and then read, so the later one sees what the earlier one committed.
 * SQLite needs nothing: the app's one connection runs one transaction at a time.
 */
export async function lockVisit(tx: Db, visitId: string): Promise<void> {
	if (dialectOf(tx) !== 'postgres') return;
	await tx.selectFrom('visits').select('id').where('id', '=', visitId).forUpdate().execute();
}
