import { error, type RequestEvent } from '@sveltejs/kit';
import { parseReportFilter } from '$lib/domain/report-filters';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { getLocale } from '$lib/paraglide/runtime.js';
import { auditExport, ledgerResponse, type LedgerFormat } from './export';
import { ReportError, scopeFilter } from './scope';

/** Parses and scopes the query string; bad filters are a translated 400, out of scope a 403. */
export async function scopedRequest(event: Pick<RequestEvent, 'locals' | 'url'>, roles: ('admin' | 'outlet_head' | 'community_worker')[]) {
	const user = requireRole(event, ...roles);
	const parsed = parseReportFilter(event.url.searchParams);
	if (!parsed.ok) error(400, { message: parsed.code });
	const db = await getDb();
	try {
		const { filter, options } = await scopeFilter(db, user, parsed.filter);
		return { db, user, filter, options };
	} catch (err) {
		if (err instanceof ReportError) error(err.status, { message: err.code });
		throw err;
	}
}

/** The two export endpoints: the admin and outlet heads only. */
export async function exportLedger(event: Pick<RequestEvent, 'locals' | 'url'>, format: LedgerFormat): Promise<Response> {
	// An export says which period it holds (the audit records it): no default month here, unlike the page.
	requireRole(event, 'admin', 'outlet_head');
	const q = event.url.searchParams;
	if (!q.get('month') && !(q.get('from') && q.get('to'))) error(400, { message: 'err_report_range_required' });
	const { db, user, filter, options } = await scopedRequest(event, ['admin', 'outlet_head']);
	await auditExport(db, user, filter, format);
	return ledgerResponse(db, filter, options, format, getLocale() === 'en' ? 'en' : 'zh');
}
