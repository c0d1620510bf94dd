import type { ConsentBy } from '$lib/domain/consent';
import type { Urgency } from '$lib/domain/services';
import type { RequestStatus } from '$lib/domain/status';
import type { NewRequestRow, RequestRow, RequestUpdate } from '$lib/server/db/schema';
import { isoNow, parseJsonList, type Db, type UpdateResult } from './common';
import { requestListQuery, toRequestListItem, type RequestListItem } from './request-list';

export type { RequestListItem, ResidentBrief } from './request-list';

/** A preferred time window given by the community worker: date `YYYY-MM-DD`, times `HH:MM`. */
export interface TimeWindow {
	date: string;
	start: string;
	end: string;
}

export type { ConsentBy };

/** A request for a home visit ("VisitRequest": `Request` is the Fetch API's name). */
export interface VisitRequest {
	id: string;
	ref: string;
	communityId: string;
	outletId: string;
	residentId: string;
	createdBy: string;
	status: RequestStatus;
	urgency: Urgency;
	services: string[];
	windows: TimeWindow[];
	notes: string;
	consentBy: ConsentBy;
	consentName: string;
	consentRelation: string | null;
	consentVersion: string;
	consentHash: string;
	consentAt: string;
	consentRecordedBy: string;
	decisionReason: string | null;
	createdAt: string;
	updatedAt: string;
	decidedAt: string | null;
	version: number;
}

export type NewVisitRequest = Omit<VisitRequest, 'version' | 'updatedAt' | 'decisionReason' | 'decidedAt'>;

/** Columns a use case may change; `version` and `updated_at` are set by `updateRequest`. */
export type RequestChanges = Partial<Pick<VisitRequest, 'status' | 'decisionReason' | 'decidedAt' | 'notes'>>;

export function toVisitRequest(row: RequestRow): VisitRequest {
	return {
		id: row.id,
		ref: row.ref,
		communityId: row.community_id,
		outletId: row.outlet_id,
		residentId: row.resident_id,
		createdBy: row.created_by,
		status: row.status as RequestStatus,
		urgency: row.urgency as Urgency,
		services: parseJsonList<string>(row.services),
		windows: parseJsonList<TimeWindow>(row.windows),
		notes: row.notes,
		consentBy: row.consent_by as ConsentBy,
		consentName: row.consent_name,
		consentRelation: row.consent_relation,
		consentVersion: row.consent_version,
		consentHash: row.consent_hash,
		consentAt: row.consent_at,
		consentRecordedBy: row.consent_recorded_by,
		decisionReason: row.decision_reason,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		decidedAt: row.decided_at,
		version: row.version
	};
}

export async function insertRequest(db: Db, input: NewVisitRequest): Promise<VisitRequest> {
	const row: NewRequestRow = {
		id: input.id,
		ref: input.ref,
		community_id: input.communityId,
		outlet_id: input.outletId,
		resident_id: input.residentId,
		created_by: input.createdBy,
		status: input.status,
		urgency: input.urgency,
		services: JSON.stringify(input.services),
		windows: JSON.stringify(input.windows),
		notes: input.notes,
		consent_by: input.consentBy,
		consent_name: input.consentName,
		consent_relation: input.consentRelation,
		consent_version: input.consentVersion,
		consent_hash: input.consentHash,
		consent_at: input.consentAt,
		consent_recorded_by: input.consentRecordedBy,
		decision_reason: null,
		created_at: input.createdAt,
		updated_at: input.createdAt,
		decided_at: null,
		version: 1
	};
	await db.insertInto('requests').values(row).execute();
	return (await getRequest(db, input.id))!;
}

export async function getRequest(db: Db, id: string): Promise<VisitRequest | null> {
	const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toVisitRequest(row) : null;
}

export async function getRequestByRef(db: Db, ref: string): Promise<VisitRequest | null> {
	const row = await db.selectFrom('requests').selectAll().where('ref', '=', ref).executeTakeFirst();
	return row ? toVisitRequest(row) : null;
}

/** One request with its resident and community, for detail pages. */
export async function getRequestDetail(db: Db, id: string): Promise<RequestListItem | null> {
	const row = await requestListQuery(db).where('requests.id', '=', id).executeTakeFirst();
	return row ? toRequestListItem(row) : null;
}

/** An outlet head's inbox: oldest first, so the request closest to its time limit leads. */
export async function listOutletInbox(
	db: Db,
	outletId: string,
	opts: { statuses?: readonly RequestStatus[]; limit?: number } = {}
): Promise<RequestListItem[]> {
	const statuses = opts.statuses ?? ['submitted'];
	let query = requestListQuery(db)
		.where('requests.outlet_id', '=', outletId)
		.orderBy('requests.created_at', 'asc')
		.orderBy('requests.id');
	if (statuses.length) query = query.where('requests.status', 'in', statuses);
	if (opts.limit) query = query.limit(opts.limit);
	return (await query.execute()).map(toRequestListItem);
}

/** A community worker's list: newest first. */
export async function listCommunityRequests(
	db: Db,
	communityId: string,
	opts: { statuses?: readonly RequestStatus[]; limit?: number } = {}
): Promise<RequestListItem[]> {
	let query = requestListQuery(db)
		.where('requests.community_id', '=', communityId)
		.orderBy('requests.created_at', 'desc')
		.orderBy('requests.id');
	if (opts.statuses?.length) query = query.where('requests.status', 'in', opts.statuses);
	if (opts.limit) query = query.limit(opts.limit);
	return (await query.execute()).map(toRequestListItem);
}

export interface AdminRequestFilter {
	outletId?: string;
	communityId?: string;
	statuses?: readonly RequestStatus[];
	/** Created on or after / before these ISO instants. */
	createdFrom?: string;
	createdTo?: string;
	limit?: number;
	offset?: number;
}

/** Every request, filtered, newest first (admin overview and exports). */
export async function listAllRequests(db: Db, filter: AdminRequestFilter = {}): Promise<RequestListItem[]> {
	let query = requestListQuery(db).orderBy('requests.created_at', 'desc').orderBy('requests.id');
	if (filter.outletId) query = query.where('requests.outlet_id', '=', filter.outletId);
	if (filter.communityId) query = query.where('requests.community_id', '=', filter.communityId);
	if (filter.statuses?.length) query = query.where('requests.status', 'in', filter.statuses);
	if (filter.createdFrom) query = query.where('requests.created_at', '>=', filter.createdFrom);
	if (filter.createdTo) query = query.where('requests.created_at', '<', filter.createdTo);
	query = query.limit(filter.limit ?? 200).offset(filter.offset ?? 0);
	return (await query.execute()).map(toRequestListItem);
}

/** How many requests each status has, optionally for one outlet (dashboards, tests). */
export async function countRequestsByStatus(
	db: Db,
	opts: { outletId?: string } = {}
): Promise<Partial<Record<RequestStatus, number>>> {
	let query = db
		.selectFrom('requests')
		.select((eb) => ['status', eb.fn.countAll<string | number>().as('n')])
		.groupBy('status');
	if (opts.outletId) query = query.where('outlet_id', '=', opts.outletId);
	const counts: Partial<Record<RequestStatus, number>> = {};
	for (const row of await query.execute()) counts[row.status as RequestStatus] = Number(row.n);
	return counts;
}

/**
 * Optimistic update: applies `changes` only if the stored `version` still equals
 * `expectedVersion`, then bumps it. `{ ok: false }` means someone else changed the request
 * first (or it does not exist) and nothing was written.
 */
export async function updateRequest(
	db: Db,
	id: string,
	expectedVersion: number,
	changes: RequestChanges,
	now: Date = new Date()
): Promise<UpdateResult> {
	const set: RequestUpdate = {
		status: changes.status,
		decision_reason: changes.decisionReason,
		decided_at: changes.decidedAt,
		notes: changes.notes,
		updated_at: isoNow(now)
	};
	const result = await db
		.updateTable('requests')
		.set((eb) => ({ ...set, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.where('version', '=', expectedVersion)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? { ok: true, version: expectedVersion + 1 } : { ok: false };
}
