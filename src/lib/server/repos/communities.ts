import type { CommunityRow } from '$lib/server/db/schema';
import { fromBool, hasChanges, newId, toBool, type Db } from './common';

export interface Community {
	id: string;
	outletId: string;
	name: string;
	/** Sub-district (街道), e.g. 城厢街道. */
	district: string;
	active: boolean;
}

export type NewCommunity = Omit<Community, 'id' | 'active'> & Partial<Pick<Community, 'id' | 'active'>>;
export type CommunityPatch = Partial<Omit<Community, 'id'>>;

function toCommunity(row: CommunityRow): Community {
	return {
		id: row.id,
		outletId: row.outlet_id,
		name: row.name,
		district: row.district,
		active: toBool(row.active)
	};
}

export async function createCommunity(db: Db, input: NewCommunity): Promise<Community> {
	const community: Community = { ...input, id: input.id ?? newId(), active: input.active ?? true };
	await db
		.insertInto('communities')
		.values({
			id: community.id,
			outlet_id: community.outletId,
			name: community.name,
			district: community.district,
			active: fromBool(community.active)
		})
		.execute();
	return community;
}

export async function getCommunity(db: Db, id: string): Promise<Community | null> {
	const row = await db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toCommunity(row) : null;
}

export async function listCommunities(
	db: Db,
	opts: { outletId?: string; activeOnly?: boolean } = {}
): Promise<Community[]> {
	let query = db.selectFrom('communities').selectAll().orderBy('district').orderBy('name');
	if (opts.outletId) query = query.where('outlet_id', '=', opts.outletId);
	if (opts.activeOnly) query = query.where('active', '=', 1);
	return (await query.execute()).map(toCommunity);
}

/** Returns false when no community has that id. */
export async function updateCommunity(db: Db, id: string, patch: CommunityPatch): Promise<boolean> {
	if (!hasChanges(patch)) return (await getCommunity(db, id)) !== null;
	const result = await db
		.updateTable('communities')
		.set({
			outlet_id: patch.outletId,
			name: patch.name,
			district: patch.district,
			active: patch.active === undefined ? undefined : fromBool(patch.active)
		})
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
