import type { CommunityInput, OutletInput } from '$lib/domain/schemas';
import { recordAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { createCommunity, getCommunity, listCommunities, updateCommunity } from '$lib/server/repos/communities';
import { createOutlet, getOutlet, listBranches, listOutlets, updateOutlet } from '$lib/server/repos/outlets';
import { AdminError, notFound } from './errors';

/** Outlet columns from the form; opening hours are optional text, stored as ''. */
function outletColumns(input: OutletInput) {
	return {
		name: input.name,
		address: input.address,
		lat: input.lat,
		lng: input.lng,
		openingHours: input.openingHours ?? '',
		decideDays: input.decideDays,
		visitDays: input.visitDays,
		active: input.active
	};
}

export async function createOutletAsAdmin(db: Db, actor: SessionUser, input: OutletInput): Promise<void> {
	// One deployment serves one branch (the seed creates it); new outlets join that branch.
	const [branch] = await listBranches(db);
	if (!branch) throw new AdminError('admin_err_no_branch', 409);
	await db.transaction().execute(async (trx) => {
		const outlet = await createOutlet(trx, { branchId: branch.id, ...outletColumns(input) });
		await recordAudit(trx, { actorId: actor.id, action: 'outlet_create', entity: 'outlet', entityId: outlet.id, outletId: outlet.id, details: { name: outlet.name } });
	});
}

export async function editOutlet(db: Db, actor: SessionUser, id: string, input: OutletInput): Promise<void> {
	const before = await getOutlet(db, id);
	if (!before) throw notFound();
	await db.transaction().execute(async (trx) => {
		await updateOutlet(trx, id, outletColumns(input));
		await recordAudit(trx, {
			actorId: actor.id,
			action: 'outlet_update',
			entity: 'outlet',
			entityId: id,
			outletId: id,
			// Time limits drive every countdown: keep what they were for later questions.
			details: { name: input.name, decideDays: [before.decideDays, input.decideDays], visitDays: [before.visitDays, input.visitDays], active: input.active }
		});
	});
}

/** A community belongs to an existing outlet; a new one only to an active outlet. */
async function checkOutlet(db: Db, outletId: string, mustBeActive: boolean): Promise<void> {
	const outlet = await getOutlet(db, outletId);
	if (!outlet || (mustBeActive && !outlet.active)) throw new AdminError('err_outlet_required', 400, 'outletId');
}

export async function createCommunityAsAdmin(db: Db, actor: SessionUser, input: CommunityInput): Promise<void> {
	await checkOutlet(db, input.outletId, true);
	await db.transaction().execute(async (trx) => {
		const community = await createCommunity(trx, input);
		await recordAudit(trx, { actorId: actor.id, action: 'community_create', entity: 'community', entityId: community.id, outletId: community.outletId, details: { name: community.name } });
	});
}

export async function editCommunity(db: Db, actor: SessionUser, id: string, input: CommunityInput): Promise<void> {
	const before = await getCommunity(db, id);
	if (!before) throw notFound();
	await checkOutlet(db, input.outletId, input.outletId !== before.outletId);
	await db.transaction().execute(async (trx) => {
		await updateCommunity(trx, id, input);
		// Community workers carry the outlet serving their community: move them along with it.
		if (before.outletId !== input.outletId) {
			await trx.updateTable('users').set({ outlet_id: input.outletId }).where('community_id', '=', id).where('role', '=', 'community_worker').execute();
		}
		await recordAudit(trx, {
			actorId: actor.id,
			action: 'community_update',
			entity: 'community',
			entityId: id,
			outletId: input.outletId,
			details: { name: input.name, outletChanged: before.outletId !== input.outletId, active: input.active }
		});
	});
}

export async function outletsPageData(db: Db) {
	const [outlets, communities] = await Promise.all([listOutlets(db), listCommunities(db)]);
	const outletName = new Map(outlets.map((o) => [o.id, o.name]));
	const communityCount = new Map<string, number>();
	for (const c of communities) communityCount.set(c.outletId, (communityCount.get(c.outletId) ?? 0) + 1);
	return {
		outlets: outlets.map((o) => ({ ...o, communityCount: communityCount.get(o.id) ?? 0 })),
		communities: communities.map((c) => ({ ...c, outletName: outletName.get(c.outletId) ?? '' }))
	};
}
