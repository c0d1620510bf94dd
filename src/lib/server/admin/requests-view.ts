import { residentView } from '$lib/domain/privacy';
import { isRequestStatus, type RequestStatus } from '$lib/domain/status';
import type { SessionUser } from '$lib/server/auth/types';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/repos/common';
import { listOutlets } from '$lib/server/repos/outlets';
import { listAllRequests } from '$lib/server/repos/requests';
import { serviceNames } from '$lib/server/views/requests';
import { scopeOf, viewerOf } from '$lib/server/views/viewer';
import { formatInstant } from './format';

export interface RequestFilters {
	outletId: string;
	status: RequestStatus | '';
}

export function parseRequestFilters(params: URLSearchParams): RequestFilters {
	const status = params.get('status') ?? '';
	return { outletId: (params.get('outlet') ?? '').slice(0, 64), status: isRequestStatus(status) ? status : '' };
}

/** Newest first; the admin oversees, so a page of the latest requests is enough here. */
const LIMIT = 200;

/**
 * All requests of the branch for the admin, masked by `residentView(…, 'list')`: surname + `*`,
 * masked phone, district only. Nothing else of the resident leaves the server.
 */
export async function requestsPageData(db: Db, user: SessionUser, filters: RequestFilters, locale: string) {
	const [requests, outlets, names] = await Promise.all([
		listAllRequests(db, { outletId: filters.outletId || undefined, statuses: filters.status ? [filters.status] : undefined, limit: LIMIT }),
		listOutlets(db),
		serviceNames(db, locale)
	]);
	const viewer = viewerOf(user);
	const rows = requests.map((r) => {
		const resident = residentView(viewer, r.resident, scopeOf(r), 'list', config().idMaskPolicy);
		return {
			id: r.id,
			ref: r.ref,
			status: r.status,
			createdAt: formatInstant(r.createdAt, locale),
			outletName: r.outletName,
			communityName: r.communityName,
			resident: resident ? { name: resident.name, phone: resident.phone, district: resident.district } : null,
			services: r.services.map((code) => names.get(code) ?? code),
			urgency: r.urgency
		};
	});
	return { rows, limited: rows.length === LIMIT, outlets: outlets.map((o) => ({ id: o.id, name: o.name })) };
}
