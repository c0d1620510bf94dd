/*
 * The visits a field worker's tablet holds, in the shape of the wire protocol (`SyncVisit`):
 * the field view of views/field.ts (resident through `residentView(…, 'visit')`: never the full
 * ID number) plus versions and the team's recorded progress.
 */
import { addDays, localDate } from '$lib/domain/calendar';
import { residentView } from '$lib/domain/privacy';
import type { Mobility, PlaceType } from '$lib/domain/services';
import type { RequestStatus, VisitOutcome } from '$lib/domain/status';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import { parseJsonList, type Db } from '$lib/server/repos/common';
import { viewerOf } from '$lib/server/views/viewer';
import type { SyncVisit } from '$lib/client/sync/protocol';
import { loadServerProgress } from './progress-repo';

/** Days back an open (still scheduled) visit stays on the tablet, and days ahead it arrives. */
export const DAYS_BACK = 7;
export const DAYS_AHEAD = 14;

function visitQuery(db: Db) {
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

type Row = Awaited<ReturnType<ReturnType<typeof visitQuery>['executeTakeFirstOrThrow']>>;

function toSyncVisit(user: SessionUser, row: Row): SyncVisit {
	const scope = { communityId: row.community_id, outletId: row.outlet_id, assignedStaffIds: [row.lead_staff_id, row.second_staff_id] };
	const record = {
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
	};
	return {
		id: row.id,
		requestId: row.request_id,
		ref: row.request_ref,
		requestStatus: row.request_status as RequestStatus,
		requestVersion: Number(row.request_version),
		status: row.status as SyncVisit['status'],
		outcome: row.outcome as VisitOutcome | null,
		outcomeNote: row.outcome_note,
		visitedAt: row.visited_at,
		date: row.date,
		start: row.window_start,
		end: row.window_end,
		notes: row.notes,
		urgency: row.urgency,
		communityName: row.community_name,
		lead: { id: row.lead_staff_id, name: row.lead_name },
		second: { id: row.second_staff_id, name: row.second_name },
		services: parseJsonList<string>(row.services),
		resident: residentView(viewerOf(user), record, scope, 'visit', config().idMaskPolicy),
		version: Number(row.version),
		progress: null
	};
}

export const isAssigned = (user: Pick<SessionUser, 'id'>, v: { leadStaffId: string; secondStaffId: string }) =>
	v.leadStaffId === user.id || v.secondStaffId === user.id;

/**
 * The tablet's visits: assigned to the user, not cancelled, dated today … today + 14, plus
 * still-open visits of the last 7 days (a team may complete yesterday's visit before syncing).
 */
export async function listSyncVisits(db: Db, user: SessionUser, now: Date): Promise<SyncVisit[]> {
	const today = localDate(now.toISOString());
	const rows = await visitQuery(db)
		.where((eb) => eb.or([eb('visits.lead_staff_id', '=', user.id), eb('visits.second_staff_id', '=', user.id)]))
		.where('visits.status', '!=', 'cancelled')
		.where('visits.date', '<=', addDays(today, DAYS_AHEAD))
		.where((eb) =>
			eb.or([
				eb('visits.date', '>=', today),
				eb.and([eb('visits.date', '>=', addDays(today, -DAYS_BACK)), eb('visits.status', '=', 'scheduled')])
			])
		)
		.execute();
	const visits = rows.map((row) => toSyncVisit(user, row));
	const progress = await loadServerProgress(db, visits.map((v) => v.id));
	return visits.map((v) => ({ ...v, progress: progress.get(v.id) ?? null }));
}

/**
 * One visit as the user's tablet would hold it, whatever its date or status — or null when the
 * user is not (or no longer) assigned: a refusal must not show someone else's visit.
 */
export async function getSyncVisit(db: Db, user: SessionUser, visitId: string): Promise<SyncVisit | null> {
	const row = await visitQuery(db).where('visits.id', '=', visitId).executeTakeFirst();
	if (!row || !isAssigned(user, { leadStaffId: row.lead_staff_id, secondStaffId: row.second_staff_id })) return null;
	const visit = toSyncVisit(user, row);
	const progress = await loadServerProgress(db, [visit.id]);
	return { ...visit, progress: progress.get(visit.id) ?? null };
}
