/*
 * Who is told (scope): the heads of the request's outlet, the community worker who filed the
 * request, the visit's two-person team, the administrators. Only active accounts of the right
 * role and scope: a deactivated user or one moved to another outlet gets nothing.
 */
import type { Db } from '$lib/server/repos/common';

export async function outletHeads(db: Db, outletId: string): Promise<string[]> {
	const rows = await db.selectFrom('users').select('id').where('role', '=', 'outlet_head').where('outlet_id', '=', outletId).where('active', '=', 1).execute();
	return rows.map((r) => r.id);
}

export async function admins(db: Db): Promise<string[]> {
	const rows = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).execute();
	return rows.map((r) => r.id);
}

/** The worker who filed the request, while still an active worker of its community. */
export async function requestCreator(db: Db, request: { createdBy: string; communityId: string }): Promise<string[]> {
	const row = await db
		.selectFrom('users')
		.select('id')
		.where('id', '=', request.createdBy)
		.where('role', '=', 'community_worker')
		.where('community_id', '=', request.communityId)
		.where('active', '=', 1)
		.executeTakeFirst();
	return row ? [row.id] : [];
}

/** The active field staff among `ids` who belong to `outletId`. */
export async function fieldStaff(db: Db, outletId: string, ids: string[]): Promise<string[]> {
	const unique = [...new Set(ids.filter(Boolean))];
	if (!unique.length) return [];
	const rows = await db.selectFrom('users').select('id').where('id', 'in', unique).where('role', '=', 'field_staff').where('outlet_id', '=', outletId).where('active', '=', 1).execute();
	return rows.map((r) => r.id);
}
