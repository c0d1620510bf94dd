/*
 * Where one visit's record stands between this tablet and the server (issue 13, bug 4), for the
 * day list and the visit page: refused (something needs the user), waiting (mutations or photos
 * not yet accepted), synced (at the time the server last accepted something of it), or nothing
 * recorded here. Pure: the caller reads the outbox entries, photos and sync times.
 */
import type { OutboxEntry, PhotoStatus } from '../db';

export type VisitSync = { kind: 'refused' } | { kind: 'waiting' } | { kind: 'synced'; at: string | null } | { kind: 'none' };

export interface VisitSyncInput {
	entries: Pick<OutboxEntry, 'status' | 'type'>[];
	photos: { status: PhotoStatus; receipt: { receivedAt: string } | null }[];
	/** When the server last applied a mutation of this visit from this tablet (syncState). */
	appliedAt: string | null;
	/** Whether the team recorded anything here (a draft beyond "not started"). */
	recorded: boolean;
}

export function visitSync({ entries, photos, appliedAt, recorded }: VisitSyncInput): VisitSync {
	if (entries.some((e) => e.status === 'rejected' && e.type !== 'sync.discard') || photos.some((p) => p.status === 'refused')) return { kind: 'refused' };
	if (entries.some((e) => e.status === 'pending') || photos.some((p) => p.status !== 'uploaded')) return { kind: 'waiting' };
	const times = [appliedAt, ...photos.map((p) => p.receipt?.receivedAt ?? null)].filter((t): t is string => !!t).sort();
	if (times.length) return { kind: 'synced', at: times[times.length - 1] };
	return recorded ? { kind: 'synced', at: null } : { kind: 'none' };
}

/** Keeps the newest `max` visits' times: the map lives in the sync state row and must stay small. */
export function rememberApplied(map: Record<string, string> | undefined, visitIds: string[], at: string, max = 200): Record<string, string> {
	const next = { ...(map ?? {}) };
	for (const id of visitIds) next[id] = at;
	const ids = Object.keys(next);
	if (ids.length <= max) return next;
	return Object.fromEntries(Object.entries(next).sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0)).slice(0, max));
}
