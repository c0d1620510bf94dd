import type { ResidentRecord } from '$lib/domain/privacy';
import type { Mobility, PlaceType } from '$lib/domain/services';
import type { RequestStatus } from '$lib/domain/status';
import type { Db } from './common';
import { toVisitRequest, type VisitRequest } from './requests';

/**
 * The resident fields lists need, exactly what `residentView()` of `$lib/domain/privacy` takes.
 * Full values: always pass through `residentView()` before anything reaches a page.
 */
export type ResidentBrief = ResidentRecord;

/** A request with what lists and detail pages show next to it. */
export interface RequestListItem extends VisitRequest {
	resident: ResidentBrief;
	communityName: string;
	outletName: string;
	/** The scheduled (not yet visited) visit, if any: at most one exists per request. */
	scheduledVisit: {
		id: string;
		date: string;
		start: string;
		end: string;
		leadStaffId: string;
		secondStaffId: string;
	} | null;
}

/** Requests joined with resident, community, outlet and the open visit; callers add filters. */
export function requestListQuery(db: Db) {
	return db
		.selectFrom('requests')
		.innerJoin('residents', 'residents.id', 'requests.resident_id')
		.innerJoin('communities', 'communities.id', 'requests.community_id')
		.innerJoin('outlets', 'outlets.id', 'requests.outlet_id')
		.leftJoin('visits', (join) =>
			join.onRef('visits.request_id', '=', 'requests.id').on('visits.status', '=', 'scheduled')
		)
		.selectAll('requests')
		.select([
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
			'outlets.name as outlet_name',
			'visits.id as v_id',
			'visits.date as v_date',
			'visits.window_start as v_start',
			'visits.window_end as v_end',
			'visits.lead_staff_id as v_lead',
			'visits.second_staff_id as v_second'
		]);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof requestListQuery>['executeTakeFirstOrThrow']>>;

export function toRequestListItem(row: ListRow): RequestListItem {
	return {
		...toVisitRequest(row),
		status: row.status as RequestStatus,
		resident: {
			id: row.resident_id,
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
		outletName: row.outlet_name,
		scheduledVisit:
			row.v_id === null
				? null
				: {
						id: row.v_id,
						date: row.v_date!,
						start: row.v_start!,
						end: row.v_end!,
						leadStaffId: row.v_lead!,
						secondStaffId: row.v_second!
					}
	};
}
