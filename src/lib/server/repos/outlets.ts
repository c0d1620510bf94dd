import type { OutletRow } from '$lib/server/db/schema';
import { fromBool, hasChanges, newId, toBool, type Db } from './common';

export interface Branch {
	id: string;
	name: string;
}

export interface Outlet {
	id: string;
	branchId: string;
	name: string;
	address: string;
	lat: number;
	lng: number;
	openingHours: string;
	decideDays: number;
	visitDays: number;
	active: boolean;
}

export type NewOutlet = Omit<Outlet, 'id' | 'active' | 'decideDays' | 'visitDays'> &
	Partial<Pick<Outlet, 'id' | 'active' | 'decideDays' | 'visitDays'>>;
export type OutletPatch = Partial<Omit<Outlet, 'id'>>;

function toOutlet(row: OutletRow): Outlet {
	return {
		id: row.id,
		branchId: row.branch_id,
		name: row.name,
		address: row.address,
		lat: Number(row.lat),
		lng: Number(row.lng),
		openingHours: row.opening_hours,
		decideDays: row.decide_days,
		visitDays: row.visit_days,
		active: toBool(row.active)
	};
}

export async function createBranch(db: Db, name: string, id: string = newId()): Promise<Branch> {
	await db.insertInto('branches').values({ id, name }).execute();
	return { id, name };
}

export async function listBranches(db: Db): Promise<Branch[]> {
	return db.selectFrom('branches').select(['id', 'name']).orderBy('name').execute();
}

export async function createOutlet(db: Db, input: NewOutlet): Promise<Outlet> {
	const id = input.id ?? newId();
	await db
		.insertInto('outlets')
		.values({
			id,
			branch_id: input.branchId,
			name: input.name,
			address: input.address,
			lat: input.lat,
			lng: input.lng,
			opening_hours: input.openingHours,
			decide_days: input.decideDays ?? 1,
			visit_days: input.visitDays ?? 5,
			active: fromBool(input.active ?? true)
		})
		.execute();
	return (await getOutlet(db, id))!;
}

export async function getOutlet(db: Db, id: string): Promise<Outlet | null> {
	const row = await db.selectFrom('outlets').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toOutlet(row) : null;
}

export async function listOutlets(db: Db, opts: { activeOnly?: boolean } = {}): Promise<Outlet[]> {
	let query = db.selectFrom('outlets').selectAll().orderBy('name');
	if (opts.activeOnly) query = query.where('active', '=', 1);
	return (await query.execute()).map(toOutlet);
}

/** Returns false when no outlet has that id. */
export async function updateOutlet(db: Db, id: string, patch: OutletPatch): Promise<boolean> {
	if (!hasChanges(patch)) return (await getOutlet(db, id)) !== null;
	const result = await db
		.updateTable('outlets')
		.set({
			branch_id: patch.branchId,
			name: patch.name,
			address: patch.address,
			lat: patch.lat,
			lng: patch.lng,
			opening_hours: patch.openingHours,
			decide_days: patch.decideDays,
			visit_days: patch.visitDays,
			active: patch.active === undefined ? undefined : fromBool(patch.active)
		})
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
