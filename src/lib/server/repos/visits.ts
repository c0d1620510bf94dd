import type { Mobility, PlaceType, Urgency } from '$lib/domain/services';
import type { ConsentBy } from '$lib/domain/consent';
import type { RequestStatus, VisitOutcome } from '$lib/domain/status';
import type { VisitRow, VisitUpdate } from '$lib/server/db/schema';
import { isoNow, parseJsonList, type Db, type UpdateResult } from './common';
import type { ResidentBrief } from './request-list';

export type VisitStatus = 'scheduled' | 'visited' | 'cancelled';

/** One trip of a two-person team to a resident for a request. */
export interface Visit {
	id: string;
	requestId: string;
	outletId: string;
	date: string;
	windowStart: string;
	windowEnd: string;
	leadStaffId: string;
	secondStaffId: string;
	status: VisitStatus;
	outcome: VisitOutcome | null;
	outcomeNote: string | null;
	visitedAt: string | null;
	createdAt: string;
	updatedAt: string;
	version: number;
}

/** A visit with what the day views show: request, resident, staff names. */
export interface VisitListItem extends Visit {
	requestRef: string;
	requestStatus: RequestStatus;
	requestVersion: number;
	communityId: string;
	services: string[];
	urgency: Urgency;
	notes: string;
	/** Who gave consent on the request (the resident, a guardian or an agent), and their name. */
	requestConsent: { by: ConsentBy; name: string; relation: string | null };
	/** Full values: pass through `residentView()` before sending to a page. */
	resident: ResidentBrief;
	communityName: string;
	leadStaffName: string;
	secondStaffName: string;
}

export type NewVisit = Pick<
	Visit,
	'id' | 'requestId' | 'outletId' | 'date' | 'windowStart' | 'windowEnd' | 'leadStaffId' | 'secondStaffId'
>;

export type VisitChanges = Partial<
	Pick<
		Visit,
		'date' | 'windowStart' | 'windowEnd' | 'leadStaffId' | 'secondStaffId' | 'status' | 'outcome' | 'outcomeNote' | 'visitedAt'
	>
>;

export function toVisit(row: VisitRow): Visit {
	return {
		id: row.id,
		requestId: row.request_id,
		outletId: row.outlet_id,
		date: row.date,
		windowStart: row.window_start,
		windowEnd: row.window_end,
		leadStaffId: row.lead_staff_id,
		secondStaffId: row.second_staff_id,
		status: row.status as VisitStatus,
		outcome: row.outcome as VisitOutcome | null,
		outcomeNote: row.outcome_note,
		visitedAt: row.visited_at,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		version: row.version
	};
}

export async function insertVisit(db: Db, input: NewVisit, now: Date = new Date()): Promise<Visit> {
	const at = isoNow(now);
	await db
		.insertInto('visits')
		.values({
			id: input.id,
			request_id: input.requestId,
			outlet_id: input.outletId,
			date: input.date,
			window_start: input.windowStart,
			window_end: input.windowEnd,
			lead_staff_id: input.leadStaffId,
			second_staff_id: input.secondStaffId,
			status: 'scheduled',
			outcome: null,
			outcome_note: null,
			visited_at: null,
			created_at: at,
			updated_at: at,
			version: 1
		})
		.execute();
	return (await getVisit(db, input.id))!;
}

export async function getVisit(db: Db, id: string): Promise<Visit | null> {
	const row = await db.selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toVisit(row) : null;
}

/** The request's visit that is still to happen, if any (at most one). */
export async function getScheduledVisit(db: Db, requestId: string): Promise<Visit | null> {
	const row = await db
		.selectFrom('visits')
		.selectAll()
		.where('request_id', '=', requestId)
		.where('status', '=', 'scheduled')
		.executeTakeFirst();
	return row ? toVisit(row) : null;
}

/** All visits of a request, oldest first (history of reopened requests). */
export async function listVisitsForRequest(db: Db, requestId: string): Promise<Visit[]> {
	const rows = await db
		.selectFrom('visits')
		.selectAll()
		.where('request_id', '=', requestId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map(toVisit);
}

/** Visits joined with request, resident, community and both staff names; callers add filters. */
export function visitListQuery(db: Db) {
	return db
		.selectFrom('visits')
		.innerJoin('requests', 'requests.id', 'visits.request_id')
		.innerJoin('residents', 'residents.id', 'requests.resident_id')
		.innerJoin('communities', 'communities.id', 'requests.community_id')
		.innerJoin('users as lead', 'lead.id', 'visits.lead_staff_id')
		.innerJoin('users as second', 'second.id', 'visits.second_staff_id')
		.selectAll('visits')
		.select([
			'requests.ref as request_ref',
			'requests.status as request_status',
			'requests.version as request_version',
			'requests.services as services',
			'requests.urgency as urgency',
			'requests.notes as notes',
			'requests.community_id as community_id',
			'requests.consent_by as consent_by',
			'requests.consent_name as consent_name',
			'requests.consent_relation as consent_relation',
			'residents.id as r_id',
			'residents.name as r_name',
			'residents.phone as r_phone',
			'residents.id_number as r_id_number',
			'residents.address as r_address',
			'residents.district as r_district',
			'residents.lat as r_lat',
			'residents.lng as r_lng',
			'residents.mobility as r_mobility',
			'residents.place_type as r_place_type',
			'residents.contact_name as r_contact_name',
			'residents.contact_phone as r_contact_phone',
			'residents.contact_relation as r_contact_relation',
			'communities.name as community_name',
			'lead.display_name as lead_name',
			'second.display_name as second_name'
		])
		.orderBy('visits.date')
		.orderBy('visits.window_start')
		.orderBy('visits.id');
}

export type VisitListRow = Awaited<ReturnType<ReturnType<typeof visitListQuery>['executeTakeFirstOrThrow']>>;

export function toVisitListItem(row: VisitListRow): VisitListItem {
	return {
		...toVisit(row),
		requestRef: row.request_ref,
		requestStatus: row.request_status as RequestStatus,
		requestVersion: Number(row.request_version),
		communityId: row.community_id,
		services: parseJsonList<string>(row.services),
		urgency: row.urgency as Urgency,
		notes: row.notes,
		requestConsent: { by: row.consent_by as ConsentBy, name: row.consent_name, relation: row.consent_relation },
		resident: {
			id: row.r_id,
			name: row.r_name,
			phone: row.r_phone,
			idNumber: row.r_id_number,
			address: row.r_address,
			district: row.r_district,
			lat: row.r_lat === null ? null : Number(row.r_lat),
			lng: row.r_lng === null ? null : Number(row.r_lng),
			mobility: row.r_mobility as Mobility,
			placeType: row.r_place_type as PlaceType,
			contactName: row.r_contact_name,
			contactPhone: row.r_contact_phone,
			contactRelation: row.r_contact_relation
		},
		communityName: row.community_name,
		leadStaffName: row.lead_name,
		secondStaffName: row.second_name
	};
}

/** A field worker's visits on one date (as lead or second), by start time. */
export async function listVisitsForStaff(
	db: Db,
	staffId: string,
	date: string,
	opts: { includeCancelled?: boolean } = {}
): Promise<VisitListItem[]> {
	let query = visitListQuery(db)
		.where('visits.date', '=', date)
		.where((eb) => eb.or([eb('visits.lead_staff_id', '=', staffId), eb('visits.second_staff_id', '=', staffId)]));
	if (!opts.includeCancelled) query = query.where('visits.status', '!=', 'cancelled');
	return (await query.execute()).map(toVisitListItem);
}

/** An outlet's visits on one date (day view, dispatch board), by start time. */
export async function listVisitsForOutlet(
	db: Db,
	outletId: string,
	date: string,
	opts: { includeCancelled?: boolean } = {}
): Promise<VisitListItem[]> {
	let query = visitListQuery(db).where('visits.outlet_id', '=', outletId).where('visits.date', '=', date);
	if (!opts.includeCancelled) query = query.where('visits.status', '!=', 'cancelled');
	return (await query.execute()).map(toVisitListItem);
}

export async function getVisitDetail(db: Db, id: string): Promise<VisitListItem | null> {
	const row = await visitListQuery(db).where('visits.id', '=', id).executeTakeFirst();
	return row ? toVisitListItem(row) : null;
}

/**
 * Scheduled visits on `date` that overlap `start`–`end` and involve any of `staffIds`
 * (double-booking check). `HH:MM` strings compare correctly as text.
 */
export async function findOverlappingVisits(
	db: Db,
	q: { staffIds: string[]; date: string; start: string; end: string; excludeVisitId?: string }
): Promise<Visit[]> {
	let query = db
		.selectFrom('visits')
		.selectAll()
		.where('date', '=', q.date)
		.where('status', '=', 'scheduled')
		.where('window_start', '<', q.end)
		.where('window_end', '>', q.start)
		.where((eb) => eb.or([eb('lead_staff_id', 'in', q.staffIds), eb('second_staff_id', 'in', q.staffIds)]));
	if (q.excludeVisitId) query = query.where('id', '!=', q.excludeVisitId);
	return (await query.execute()).map(toVisit);
}

/** Optimistic update, like `updateRequest`: nothing is written when the version moved on. */
export async function updateVisit(
	db: Db,
	id: string,
	expectedVersion: number,
	changes: VisitChanges,
	now: Date = new Date()
): Promise<UpdateResult> {
	const set: VisitUpdate = {
		date: changes.date,
		window_start: changes.windowStart,
		window_end: changes.windowEnd,
		lead_staff_id: changes.leadStaffId,
		second_staff_id: changes.secondStaffId,
		status: changes.status,
		outcome: changes.outcome,
		outcome_note: changes.outcomeNote,
		visited_at: changes.visitedAt,
		updated_at: isoNow(now)
	};
	const result = await db
		.updateTable('visits')
		.set((eb) => ({ ...set, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.where('version', '=', expectedVersion)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? { ok: true, version: expectedVersion + 1 } : { ok: false };
}
