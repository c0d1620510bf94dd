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

/**
 * Locks several visits, in id order: two batches that touch the same visits (two tablets of one
 * team) take them in the same order and so wait for each other instead of deadlocking.
 */
export async function lockVisits(tx: Db, visitIds: string[]): Promise<void> {
	if (dialectOf(tx) !== 'postgres' || visitIds.length === 0) return;
	await tx.selectFrom('visits').select('id').where('id', 'in', [...new Set(visitIds)].sort()).orderBy('id').forUpdate().execute();
}
