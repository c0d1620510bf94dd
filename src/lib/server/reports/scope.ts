import type { ReportFilter } from '$lib/domain/report-filters';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getCommunity, listCommunities, type Community } from '$lib/server/repos/communities';
import { listOutlets, type Outlet } from '$lib/server/repos/outlets';
import { listServices, type Service } from '$lib/server/repos/services';

/*
 * Who may see which figures: the admin the whole branch (any outlet), an outlet head their own
 * outlet, a community worker their own community's requests and outcomes (no staff workload, no
 * export). A filter outside the viewer's scope is refused (403), an unknown one is a 400.
 */

export type ReportRole = 'admin' | 'outlet_head' | 'community_worker';

export class ReportError extends Error {
	constructor(
		readonly code: string,
		readonly status: 400 | 403
	) {
		super(code);
	}
}

/** The filter with the viewer's scope applied: what the queries read. */
export interface ScopedFilter extends ReportFilter {
	role: ReportRole;
}

export interface ReportOptions {
	outlets: Pick<Outlet, 'id' | 'name' | 'decideDays' | 'visitDays'>[];
	communities: Pick<Community, 'id' | 'name' | 'outletId'>[];
	services: Pick<Service, 'code' | 'nameZh' | 'nameEn'>[];
}

export async function scopeFilter(db: Db, user: SessionUser, filter: ReportFilter): Promise<{ filter: ScopedFilter; options: ReportOptions }> {
	const role = user.role;
	if (role !== 'admin' && role !== 'outlet_head' && role !== 'community_worker') throw new ReportError('err_forbidden', 403);
	const [allOutlets, services] = await Promise.all([listOutlets(db), listServices(db)]);
	const scoped: ScopedFilter = { ...filter, role };

	if (role === 'outlet_head') {
		if (!user.outletId) throw new ReportError('err_forbidden', 403);
		if (filter.outletId && filter.outletId !== user.outletId) throw new ReportError('err_forbidden', 403);
		scoped.outletId = user.outletId;
	} else if (role === 'community_worker') {
		if (!user.communityId) throw new ReportError('err_forbidden', 403);
		const own = await getCommunity(db, user.communityId);
		if (!own) throw new ReportError('err_forbidden', 403);
		if (filter.communityId && filter.communityId !== own.id) throw new ReportError('err_forbidden', 403);
		if (filter.outletId && filter.outletId !== own.outletId) throw new ReportError('err_forbidden', 403);
		scoped.communityId = own.id;
		scoped.outletId = own.outletId;
	} else if (filter.outletId && !allOutlets.some((o) => o.id === filter.outletId)) {
		throw new ReportError('err_report_bad_filter', 400);
	}

	const communities = await listCommunities(db, scoped.outletId ? { outletId: scoped.outletId } : {});
	if (scoped.communityId) {
		const c = communities.find((x) => x.id === scoped.communityId);
		if (!c) {
			// Another outlet's community is out of scope for a head; for the admin just unknown here.
			const exists = await getCommunity(db, scoped.communityId);
			throw new ReportError(exists && role === 'outlet_head' ? 'err_forbidden' : 'err_report_bad_filter', exists && role === 'outlet_head' ? 403 : 400);
		}
	}
	if (scoped.service && !services.some((s) => s.code === scoped.service)) throw new ReportError('err_report_bad_filter', 400);

	const outlets = allOutlets.filter((o) => !scoped.outletId || o.id === scoped.outletId || role === 'admin');
	return {
		filter: scoped,
		options: {
			outlets: outlets.map((o) => ({ id: o.id, name: o.name, decideDays: o.decideDays, visitDays: o.visitDays })),
			communities: (role === 'community_worker' ? communities.filter((c) => c.id === scoped.communityId) : communities).map((c) => ({ id: c.id, name: c.name, outletId: c.outletId })),
			services: services.map((s) => ({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn }))
		}
	};
}
