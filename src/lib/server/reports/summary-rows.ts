import type { ReportData } from './report';
import type { ScopedFilter, ReportOptions } from './scope';
import { tr, type Locale } from './ledger';

/** The summary figures as label/value rows: the export's second sheet and the CSV has none. */
export function summaryRows(data: ReportData, f: ScopedFilter, options: ReportOptions, locale: Locale): [string, string | number][] {
	const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
	const days = (d: number | null) => (d === null ? '—' : d);
	const outlet = options.outlets.find((o) => o.id === f.outletId)?.name ?? tr(locale, 'report_all_outlets');
	const community = options.communities.find((c) => c.id === f.communityId)?.name ?? tr(locale, 'report_all_communities');
	const service = options.services.find((s) => s.code === f.service);
	const rows: [string, string | number][] = [
		[tr(locale, 'report_period'), `${f.from} – ${f.to}`],
		[tr(locale, 'report_filter_outlet'), outlet],
		[tr(locale, 'report_filter_community'), community],
		[tr(locale, 'report_filter_service'), service ? (locale === 'zh' ? service.nameZh : service.nameEn) : tr(locale, 'report_all_services')],
		[tr(locale, 'report_filter_urgency'), f.urgency ? tr(locale, `urgency_${f.urgency}`) : tr(locale, 'report_all_urgencies')],
		[tr(locale, 'report_received'), data.requests.received],
		[tr(locale, 'report_approved'), data.requests.approved],
		[tr(locale, 'report_rejected'), data.requests.rejected],
		[tr(locale, 'report_cancelled'), data.requests.cancelled],
		[tr(locale, 'report_pending'), data.requests.pending],
		[tr(locale, 'report_visits_total'), data.visits.total],
		[tr(locale, 'outcome_completed'), data.visits.completed],
		[tr(locale, 'outcome_not_home'), data.visits.not_home],
		[tr(locale, 'outcome_refused'), data.visits.refused],
		[tr(locale, 'outcome_follow_up'), data.visits.follow_up],
		[tr(locale, 'report_decided_within'), pct(data.decision.rate)],
		[tr(locale, 'report_visited_within'), pct(data.visit.rate)],
		[tr(locale, 'report_decision_median'), days(data.decision.medianDays)],
		[tr(locale, 'report_decision_p90'), days(data.decision.p90Days)],
		[tr(locale, 'report_visit_median'), days(data.visit.medianDays)],
		[tr(locale, 'report_visit_p90'), days(data.visit.p90Days)],
		[tr(locale, 'report_overdue_now'), data.overdue.total]
	];
	if (data.workload) {
		rows.push([tr(locale, 'report_travel_minutes'), data.workload.travelMinutes]);
		rows.push([tr(locale, 'report_sent_back_rate'), pct(data.workload.sentBackRate)]);
	}
	for (const s of data.services) {
		const def = options.services.find((x) => x.code === s.code);
		rows.push([`${tr(locale, 'report_service_delivered')}: ${def ? (locale === 'zh' ? def.nameZh : def.nameEn) : s.code}`, s.count]);
	}
	return rows;
}
