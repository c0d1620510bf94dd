import type { Role } from '$lib/domain/roles';
import type { AuditEntryWithActor } from '$lib/server/repos/audit';

/*
 * The request timeline as a person reads it (pure: audit entries in, lines out).
 * - The slot of an approval/reopen/reschedule is read from what the workflow stores
 *   (`windowStart`/`windowEnd`, and `to` for a reschedule), not from keys it never writes.
 * - A field tablet's sync writes one audit entry per mutation (every checklist tick). Entries of
 *   one sync — the same visit, the same user, no other action in between, each within
 *   SYNC_GAP_MS of the previous — become ONE line saying what changed.
 * - The outcome a tablet sends is also written as `record_outcome` (same user, same instant): the
 *   head reads it inside the sync's line, the community worker sees only that plain outcome and
 *   none of the tablet mechanics.
 */

/** What one grouped sync changed, in the order a visit happens. */
export interface SyncChanges {
	startedTravelAt: string | null;
	arrivedAt: string | null;
	/** Distance of the check-in to the resident's pin, metres; null without a pin. */
	arrivalDistanceM: number | null;
	/** Services whose checklist was updated. */
	checklistServices: number;
	servicesDone: number;
	servicesNotDone: number;
	photos: number;
	outcome: string | null;
	refused: number;
	discarded: boolean;
}

export interface TimelineItem {
	seq: number;
	at: string;
	action: string;
	actorName: string;
	/** Displayable details only (strings): never personal data. */
	details: Record<string, string>;
	/** Only on `sync_group` lines. */
	changes?: SyncChanges;
}

export const SYNC_GAP_MS = 15 * 60_000;
const SYNC_ACTIONS = new Set(['sync_apply', 'sync_reject', 'sync_id_reused', 'sync_discard', 'photo_upload', 'photo_superseded']);
const SHOWN_KEYS = ['reason', 'date', 'start', 'end', 'outcome', 'note'];

const str = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The displayable strings of one entry's details; the slot under `start`/`end`. */
export function displayDetails(action: string, details: Record<string, unknown>): Record<string, string> {
	const source = action === 'reschedule' ? { reason: details.reason, ...obj(details.to) } : details;
	const slot: Record<string, unknown> = { ...source, start: source.start ?? source.windowStart, end: source.end ?? source.windowEnd };
	// `from` of a reopen is the previous status, of a reschedule the previous slot: neither is shown.
	const out: Record<string, string> = {};
	for (const key of SHOWN_KEYS) {
		const value = str(slot[key]);
		if (value !== null && value !== '') out[key] = value;
	}
	return out;
}

function emptyChanges(): SyncChanges {
	return { startedTravelAt: null, arrivedAt: null, arrivalDistanceM: null, checklistServices: 0, servicesDone: 0, servicesNotDone: 0, photos: 0, outcome: null, refused: 0, discarded: false };
}

function addToChanges(c: SyncChanges, e: AuditEntryWithActor, checklist: Set<string>): void {
	if (e.action === 'photo_upload') return void c.photos++;
	if (e.action === 'sync_reject' || e.action === 'sync_id_reused') return void c.refused++;
	if (e.action === 'sync_discard') return void (c.discarded = true);
	if (e.action !== 'sync_apply') return;
	const payload = obj(e.details.payload);
	switch (e.details.type) {
		case 'visit.start_travel':
			c.startedTravelAt = str(payload.at) ?? e.at;
			break;
		case 'visit.arrive': {
			c.arrivedAt = str(payload.at) ?? e.at;
			const d = payload.distanceM;
			c.arrivalDistanceM = typeof d === 'number' && Number.isFinite(d) ? Math.round(d) : null;
			break;
		}
		case 'visit.checklist':
			checklist.add(String(payload.serviceCode ?? ''));
			c.checklistServices = checklist.size;
			break;
		case 'visit.service_outcome':
			if (payload.outcome === 'done') c.servicesDone++;
			else c.servicesNotDone++;
			break;
		case 'visit.complete':
			c.outcome = str(payload.outcome);
			break;
	}
}

interface Group {
	first: AuditEntryWithActor;
	last: AuditEntryWithActor;
	changes: SyncChanges;
	checklist: Set<string>;
}

function joins(g: Group, e: AuditEntryWithActor): boolean {
	return g.last.entityId === e.entityId && g.last.actorId === e.actorId && Date.parse(e.at) - Date.parse(g.last.at) <= SYNC_GAP_MS;
}

/** The timeline of a request for a viewer of `role`, oldest first. */
export function timelineView(entries: AuditEntryWithActor[], role: Role): TimelineItem[] {
	const out: TimelineItem[] = [];
	let group: Group | null = null;
	const flush = () => {
		if (!group) return;
		const { first, last, changes } = group;
		group = null;
		if (role === 'community_worker') return;
		out.push({ seq: first.seq, at: last.at, action: 'sync_group', actorName: last.actorName ?? '', details: {}, changes });
	};
	const key = (e: AuditEntryWithActor) => `${e.actorId}|${e.at}`;
	const tabletOutcomes = new Set(entries.filter((e) => e.action === 'sync_apply' && e.details.type === 'visit.complete').map(key));
	for (const e of entries) {
		// Said by the sync's line (outlet head, admin); the worker's plain outcome.
		if (e.action === 'record_outcome' && role !== 'community_worker' && tabletOutcomes.has(key(e))) continue;
		if (e.entity === 'visit' && SYNC_ACTIONS.has(e.action)) {
			if (!group || !joins(group, e)) {
				flush();
				group = { first: e, last: e, changes: emptyChanges(), checklist: new Set() };
			}
			group.last = e;
			addToChanges(group.changes, e, group.checklist);
			continue;
		}
		flush();
		out.push({ seq: e.seq, at: e.at, action: e.action, actorName: e.actorName ?? '', details: displayDetails(e.action, e.details) });
	}
	flush();
	return out;
}
