/*
 * Reads what visitSync() needs for a set of visits from the tablet's store (browser: IndexedDB;
 * inside a liveQuery, so the day list and the visit page follow the outbox and photo queue).
 */
import type { DoorstepDb } from '../db';
import { readSyncState } from '../sync-state';
import { visitSync, type VisitSync } from './visit-sync';

export async function loadVisitSync(db: DoorstepDb, visitIds: string[], recorded: Set<string>): Promise<Map<string, VisitSync>> {
	const [entries, photos, state] = await Promise.all([
		db.outbox.where('entityId').anyOf(visitIds).toArray(),
		db.photos.where('visitId').anyOf(visitIds).toArray(),
		readSyncState(db)
	]);
	const out = new Map<string, VisitSync>();
	for (const id of visitIds) {
		out.set(
			id,
			visitSync({
				entries: entries.filter((e) => e.entityId === id),
				photos: photos.filter((p) => p.visitId === id),
				appliedAt: state.visitAppliedAt?.[id] ?? null,
				recorded: recorded.has(id)
			})
		);
	}
	return out;
}
