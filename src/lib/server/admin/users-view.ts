import { ROLES, type Role } from '$lib/domain/roles';
import type { Db } from '$lib/server/repos/common';
import { listCommunities } from '$lib/server/repos/communities';
import { listOutlets } from '$lib/server/repos/outlets';
import { listUsers } from '$lib/server/repos/users';

export interface UserFilters {
	q: string;
	role: Role | '';
	outletId: string;
	status: 'active' | 'inactive' | '';
}

/** Reads the filter form (GET query); anything unknown is ignored rather than an error. */
export function parseUserFilters(params: URLSearchParams): UserFilters {
	const role = params.get('role') ?? '';
	const status = params.get('status') ?? '';
	return {
		q: (params.get('q') ?? '').trim().slice(0, 64),
		role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
		outletId: (params.get('outlet') ?? '').slice(0, 64),
		status: status === 'active' || status === 'inactive' ? status : ''
	};
}

export interface UserRowView {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	outletId: string | null;
	communityId: string | null;
	/** The outlet or community name the role is scoped to, or null for admins. */
	scopeName: string | null;
	active: boolean;
	locked: boolean;
}

/**
 * The accounts table. A branch has a few hundred accounts at most, so the text search runs
 * over the loaded list; the outlet filter also matches community workers of that outlet's
 * communities, which is what an admin looking at "outlet X" expects to see.
 */
export async function usersPageData(db: Db, filters: UserFilters, now = new Date()) {
	const [users, outlets, communities] = await Promise.all([
		listUsers(db, { role: filters.role || undefined }),
		listOutlets(db),
		listCommunities(db)
	]);
	const outletName = new Map(outlets.map((o) => [o.id, o.name]));
	const communityById = new Map(communities.map((c) => [c.id, c]));
	const scopeName = (role: Role, outletId: string | null, communityId: string | null): string | null => {
		if (role === 'community_worker') {
			const c = communityById.get(communityId ?? '');
			return c ? `${c.name} · ${outletName.get(c.outletId) ?? ''}` : null;
		}
		return role === 'admin' ? null : (outletName.get(outletId ?? '') ?? null);
	};
	const q = filters.q.toLowerCase();
	const rows: UserRowView[] = users
		.filter((u) => !q || u.username.includes(q) || u.displayName.toLowerCase().includes(q))
		.filter((u) => !filters.status || u.active === (filters.status === 'active'))
		.filter((u) => !filters.outletId || u.outletId === filters.outletId || communityById.get(u.communityId ?? '')?.outletId === filters.outletId)
		.map((u) => ({
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			outletId: u.outletId,
			communityId: u.communityId,
			scopeName: scopeName(u.role, u.outletId, u.communityId),
			active: u.active,
			locked: u.lockedUntil !== null && u.lockedUntil > now.toISOString()
		}));
	return {
		users: rows,
		outlets: outlets.map((o) => ({ id: o.id, name: o.name, active: o.active })),
		communities: communities.map((c) => ({ id: c.id, name: c.name, outletName: outletName.get(c.outletId) ?? '', active: c.active }))
	};
}
