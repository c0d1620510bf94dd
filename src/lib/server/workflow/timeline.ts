import type { Db } from '$lib/server/repos/common';
import { listAuditForRequest } from '$lib/server/repos/audit';

/** One line of a request's history as the timeline UI shows it. */
export interface TimelineEntry {
	seq: number;
	at: string;
	action: string;
	actorId: string | null;
	/** Display name of the actor; null for system entries. */
	actorName: string | null;
	entity: 'request' | 'visit';
	entityId: string;
	details: Record<string, unknown>;
}

/**
 * The audit entries of a request and its visits, oldest first. Scope checks are the caller's:
 * load the request through a guard first. Details carry no ID or phone numbers.
 */
export async function timeline(db: Db, requestId: string): Promise<TimelineEntry[]> {
	const entries = await listAuditForRequest(db, requestId);
	return entries.map((e) => ({
		seq: e.seq,
		at: e.at,
		action: e.action,
		actorId: e.actorId,
		actorName: e.actorName,
		entity: e.entity === 'visit' ? 'visit' : 'request',
		entityId: e.entityId,
		details: e.details
	}));
}
