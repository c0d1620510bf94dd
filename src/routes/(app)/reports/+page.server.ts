import { filterParams } from '$lib/domain/report-filters';
import { getLocale } from '$lib/paraglide/runtime.js';
import { scopedRequest } from '$lib/server/reports/http';
import { reportData } from '$lib/server/reports/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, filter, options } = await scopedRequest(event, ['admin', 'outlet_head', 'community_worker']);
	const data = await reportData(db, filter, options);
	return {
		locale: getLocale(),
		filter,
		query: filterParams(filter).toString(),
		options,
		canExport: filter.role !== 'community_worker',
		report: data
	};
};
