import { sql } from 'kysely';
import type { Mobility, PlaceType } from '$lib/domain/services';
import type { ResidentRow } from '$lib/server/db/schema';
import { hasChanges, isoNow, likeFragment, newId, type Db } from './common';

/**
 * A resident (elderly customer) with full personal data. Callers mask through
 * `$lib/domain/privacy` before anything reaches a page.
 */
export interface Resident {
	id: string;
	communityId: string;
	name: string;
	phone: string;
	idNumber: string;
	address: string;
	district: string;
	lat: number | null;
	lng: number | null;
	mobility: Mobility;
	placeType: PlaceType;
	contactName: string | null;
	contactPhone: string | null;
	contactRelation: string | null;
	createdAt: string;
	createdBy: string;
}

export type NewResident = Omit<Resident, 'id' | 'createdAt'> & { id?: string };
export type ResidentPatch = Partial<Omit<Resident, 'id' | 'communityId' | 'createdAt' | 'createdBy'>>;

export function toResident(row: ResidentRow): Resident {
	return {
		id: row.id,
		communityId: row.community_id,
		name: row.name,
		phone: row.phone,
		idNumber: row.id_number,
		address: row.address,
		district: row.district,
		lat: row.lat === null ? null : Number(row.lat),
		lng: row.lng === null ? null : Number(row.lng),
		mobility: row.mobility as Mobility,
		placeType: row.place_type as PlaceType,
		contactName: row.contact_name,
		contactPhone: row.contact_phone,
		contactRelation: row.contact_relation,
		createdAt: row.created_at,
		createdBy: row.created_by
	};
}

export async function createResident(db: Db, input: NewResident, now: Date = new Date()): Promise<Resident> {
	const resident: Resident = { ...input, id: input.id ?? newId(), createdAt: isoNow(now) };
	await db
		.insertInto('residents')
		.values({
			id: resident.id,
			community_id: resident.communityId,
			name: resident.name,
			phone: resident.phone,
			id_number: resident.idNumber,
			address: resident.address,
			district: resident.district,
			lat: resident.lat,
			lng: resident.lng,
			mobility: resident.mobility,
			place_type: resident.placeType,
			contact_name: resident.contactName,
			contact_phone: resident.contactPhone,
			contact_relation: resident.contactRelation,
			created_at: resident.createdAt,
			created_by: resident.createdBy
		})
		.execute();
	return resident;
}

export async function getResident(db: Db, id: string): Promise<Resident | null> {
	const row = await db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toResident(row) : null;
}

/** The resident of a community with this (normalised) ID number, to reuse on a new request. */
export async function findResidentByIdNumber(
	db: Db,
	communityId: string,
	idNumber: string
): Promise<Resident | null> {
	const row = await db
		.selectFrom('residents')
		.selectAll()
		.where('community_id', '=', communityId)
		.where('id_number', '=', idNumber)
		.executeTakeFirst();
	return row ? toResident(row) : null;
}

/**
 * Residents of one community whose name or phone contains `fragment` (literal match, no
 * wildcards), by name. An empty fragment lists the community.
 */
export async function searchResidents(
	db: Db,
	communityId: string,
	fragment: string,
	limit = 20
): Promise<Resident[]> {
	const text = fragment.trim();
	let query = db
		.selectFrom('residents')
		.selectAll()
		.where('community_id', '=', communityId)
		.orderBy('name')
		.orderBy('id')
		.limit(limit);
	if (text) {
		const pattern = likeFragment(text);
		query = query.where((eb) =>
			eb.or([
				sql<boolean>`${eb.ref('name')} like ${pattern} escape '\\'`,
				sql<boolean>`${eb.ref('phone')} like ${pattern} escape '\\'`
			])
		);
	}
	return (await query.execute()).map(toResident);
}

export async function listResidents(db: Db, communityId: string): Promise<Resident[]> {
	return searchResidents(db, communityId, '', 10_000);
}

/** Returns false when no resident has that id. */
export async function updateResident(db: Db, id: string, patch: ResidentPatch): Promise<boolean> {
	if (!hasChanges(patch)) return (await getResident(db, id)) !== null;
	const result = await db
		.updateTable('residents')
		.set({
			name: patch.name,
			phone: patch.phone,
			id_number: patch.idNumber,
			address: patch.address,
			district: patch.district,
			lat: patch.lat,
			lng: patch.lng,
			mobility: patch.mobility,
			place_type: patch.placeType,
			contact_name: patch.contactName,
			contact_phone: patch.contactPhone,
			contact_relation: patch.contactRelation
		})
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
