/*
 * Stores a pull: new and changed visits in, withdrawn visits out — except that a visit with
 * unsynced work (anything in the outbox) is never deleted: it is kept, marked withdrawn, and
 * shown as a conflict until its mutations are decided or discarded.
 */
import type { DoorstepDb, LocalVisit } from '../db';
import { readSyncState } from '../sync-state';
import type { PullResponse, SyncVisit } from './protocol';
import { lockIdleMinutesOf } from '$lib/domain/lock-policy';
import { checkInDistanceOf } from '$lib/domain/check-in';

/** Notices are kept (dismissed or not) for a week, then pruned. */
const NOTICE_KEEP_MS = 7 * 24 * 3_600_000;

export function toLocalVisit(visit: SyncVisit, receivedAt: string): LocalVisit {
	const { resident, ...rest } = visit;
	return { ...rest, residentId: resident?.id ?? null, withdrawnAt: null, receivedAt };
}

async function entitiesWithWork(db: DoorstepDb): Promise<Set<string>> {
	return new Set((await db.outbox.toArray()).map((e) => e.entityId));
}

/**
 * Deletes withdrawn visits whose work is all decided, their drafts, and residents no visit
 * needs any more (the tablet keeps only what today's and the coming visits need).
 */
export async function pruneLocal(db: DoorstepDb): Promise<void> {
	await db.transaction('rw', db.visits, db.drafts, db.residents, db.outbox, async () => {
		const withWork = await entitiesWithWork(db);
		const visits = await db.visits.toArray();
		for (const v of visits) {
			if (v.withdrawnAt !== null && !withWork.has(v.id)) {
				await db.visits.delete(v.id);
				await db.drafts.delete(v.id);
			}
		}
		const needed = new Set((await db.visits.toArray()).map((v) => v.residentId));
		const residents = await db.residents.toCollection().primaryKeys();
		await db.residents.bulkDelete(residents.filter((id) => !needed.has(id)));
	});
}

export async function applyPull(db: DoorstepDb, response: PullResponse, now: Date = new Date()): Promise<void> {
	const at = now.toISOString();
	await db.transaction('rw', [db.visits, db.residents, db.services, db.drafts, db.outbox, db.syncState, db.notices], async () => {
		// A notice already here keeps its dismissal (a reset pull may send it again).
		for (const notice of response.notices ?? []) {
			if (!(await db.notices.get(notice.id))) await db.notices.put({ ...notice, dismissedAt: null });
		}
		await db.notices.where('createdAt').below(new Date(now.getTime() - NOTICE_KEEP_MS).toISOString()).delete();
		for (const visit of response.visits) {
			await db.visits.put(toLocalVisit(visit, at));
			if (visit.resident) await db.residents.put(visit.resident);
		}
		const sent = new Set(response.visits.map((v) => v.id));
		const gone = response.reset
			? (await db.visits.toCollection().primaryKeys()).filter((id) => !sent.has(id))
			: response.withdrawn;
		const withWork = await entitiesWithWork(db);
		for (const id of gone) {
			if (withWork.has(id)) {
				await db.visits.where('id').equals(id).modify((v) => {
					v.withdrawnAt ??= at;
				});
			} else {
				await db.visits.delete(id);
				await db.drafts.delete(id);
			}
		}
		if (response.services) {
			await db.services.clear();
			await db.services.bulkPut(response.services);
		}
		const state = await readSyncState(db);
		// The lock policy is kept for offline starts; a server without one leaves the last value.
		const lockIdleMinutes = response.policy ? lockIdleMinutesOf(response.policy.lockIdleMinutes) : state.lockIdleMinutes;
		const checkInMaxDistanceM = checkInDistanceOf(response.policy?.checkInMaxDistanceM ?? state.checkInMaxDistanceM);
		await db.syncState.put({ ...state, cursor: response.cursor, lockIdleMinutes, checkInMaxDistanceM });
	});
	await pruneLocal(db);
}
