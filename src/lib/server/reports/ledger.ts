import { sql } from 'kysely';
import { localDate, localTime } from '$lib/domain/calendar';
import { maskIdNumber, maskName, type IdMaskPolicy } from '$lib/domain/privacy';
import { decisionDeadline, visitDeadline } from '$lib/domain/sla';
import { m } from '$lib/paraglide/messages.js';
import type { Db } from '$lib/server/repos/common';
import { parseJsonList } from '$lib/server/repos/common';
import type { SlaContext } from '$lib/server/views/sla';
import type { ReportOptions, ScopedFilter } from './scope';
import { and, endExclusive, requestConditions, startOf } from './sql';

/*
 * The ledger (台账): one row per request received in the period, read page by page (keyset on
 * created_at, id) so an export of any size holds one page in memory. Resident name and ID are
 * masked here, before anything is written: the full ID number and the phone never leave.
 */

export type Locale = 'zh' | 'en';
type Msg = (inputs?: Record<string, unknown>, options?: { locale?: Locale }) => string;
const messages = m as unknown as Record<string, Msg | undefined>;
/** A message in a given locale (exports stream after the request's locale context is gone). */
export const tr = (locale: Locale, code: string, inputs: Record<string, unknown> = {}): string => messages[code]?.(inputs, { locale }) ?? code;

export const LEDGER_COLUMNS = [
	['ref', 14],
	['community', 14],
	['outlet', 16],
	['resident', 10],
	['resident_id', 22],
	['services', 30],
	['urgency', 8],
	['requested', 18],
	['decided', 18],
	['visit', 18],
	['team', 18],
	['outcome', 14],
	['limit_met', 10],
	['evidence', 12]
] as const;
export type LedgerKey = (typeof LEDGER_COLUMNS)[number][0];
export type LedgerRow = Record<LedgerKey, string>;

export const ledgerHeader = (locale: Locale): string[] => LEDGER_COLUMNS.map(([key]) => tr(locale, `report_col_${key}`));

const PAGE = 1000;

interface RawRow {
	id: string;
	ref: string;
	status: string;
	urgency: string;
	services: string;
	created_at: string;
	decided_at: string | null;
	decide_days: number;
	visit_days: number;
	community: string;
	outlet: string;
	res_name: string;
	res_id: string;
	first_sched: string | null;
	v_date: string | null;
	v_status: string | null;
	v_outcome: string | null;
	v_visited_at: string | null;
	v_created_at: string | null;
	lead: string | null;
	second: string | null;
	review: string | null;
}

async function page(db: Db, f: ScopedFilter, after: { at: string; id: string } | null): Promise<RawRow[]> {
	const cursor = after ? sql`and (r.created_at > ${after.at} or (r.created_at = ${after.at} and r.id > ${after.id}))` : sql``;
	const { rows } = await sql<RawRow>`
		select r.id, r.ref, r.status, r.urgency, r.services, r.created_at, r.decided_at,
			o.decide_days, o.visit_days, c.name as community, o.name as outlet,
			res.name as res_name, res.id_number as res_id,
			(select min(v.created_at) from visits v where v.request_id = r.id) as first_sched,
			lv.date as v_date, lv.status as v_status, lv.outcome as v_outcome, lv.visited_at as v_visited_at, lv.created_at as v_created_at,
			lu.display_name as lead, su.display_name as second, er.status as review
		from requests r
		join communities c on c.id = r.community_id
		join outlets o on o.id = r.outlet_id
		join residents res on res.id = r.resident_id
		left join visits lv on lv.id = (select v2.id from visits v2 where v2.request_id = r.id order by v2.created_at desc, v2.id desc limit 1)
		left join users lu on lu.id = lv.lead_staff_id
		left join users su on su.id = lv.second_staff_id
		left join evidence_reviews er on er.visit_id = lv.id
		where ${and(requestConditions(f))} and r.created_at >= ${startOf(f.from)} and r.created_at < ${endExclusive(f.to)} ${cursor}
		order by r.created_at, r.id
		limit ${PAGE}`.execute(db);
	return rows;
}

const stamp = (iso: string | null): string => (iso ? `${localDate(iso)} ${localTime(iso)}` : '');

/** yes / no / '' (not yet due) for one request, with the app's calendar and time limits. */
export function limitMet(r: RawRow, ctx: SlaContext): 'yes' | 'no' | '' {
	const decidedAt = r.first_sched ?? (r.status === 'rejected' ? r.decided_at : null);
	const decDue = decisionDeadline(r.created_at, Number(r.decide_days), ctx.cal);
	let decision: boolean | null;
	if (decidedAt) decision = decidedAt <= decDue;
	else if (r.status === 'submitted') decision = ctx.now > decDue ? false : null;
	else decision = null; // withdrawn before a decision: no time limit to meet
	if (decision === false) return 'no';
	let visit: boolean | null = true;
	if (r.v_created_at && r.v_status !== 'cancelled') {
		const due = visitDeadline(r.v_created_at, Number(r.visit_days), ctx.cal);
		if (r.v_status === 'visited') visit = (r.v_visited_at ?? `${r.v_date}T04:00:00.000Z`) <= due;
		else visit = ctx.now > due ? false : null;
	}
	if (visit === false) return 'no';
	return decision === null || visit === null ? '' : 'yes';
}

function toLedgerRow(r: RawRow, locale: Locale, ctx: SlaContext, names: Map<string, { zh: string; en: string }>, idPolicy: IdMaskPolicy): LedgerRow {
	const services = parseJsonList<string>(r.services).map((code) => names.get(code)?.[locale] ?? code);
	const met = limitMet(r, ctx);
	const outcome = r.v_status === 'visited' && r.v_outcome ? tr(locale, `outcome_${r.v_outcome}`) : tr(locale, `status_${r.status}`);
	return {
		ref: r.ref,
		community: r.community,
		outlet: r.outlet,
		resident: maskName(r.res_name, 'middle'),
		resident_id: maskIdNumber(r.res_id, idPolicy),
		services: services.join(locale === 'zh' ? '、' : ', '),
		urgency: tr(locale, `urgency_${r.urgency}`),
		requested: stamp(r.created_at),
		decided: stamp(r.first_sched ?? (r.status === 'rejected' ? r.decided_at : null)),
		visit: r.v_status === 'visited' ? stamp(r.v_visited_at) || (r.v_date ?? '') : r.v_status === 'scheduled' ? (r.v_date ?? '') : '',
		team: r.lead && r.second ? `${r.lead} · ${r.second}` : '',
		outcome,
		limit_met: met ? tr(locale, `report_${met}`) : '',
		evidence: r.v_status === 'visited' ? tr(locale, `report_evidence_${r.review ?? 'pending'}`) : ''
	};
}

/** The ledger's rows in order, one database page at a time. */
export async function* ledgerRows(
	db: Db,
	f: ScopedFilter,
	options: ReportOptions,
	ctx: SlaContext,
	locale: Locale,
	idPolicy: IdMaskPolicy
): AsyncGenerator<LedgerRow[]> {
	const names = new Map(options.services.map((s) => [s.code, { zh: s.nameZh, en: s.nameEn }]));
	let after: { at: string; id: string } | null = null;
	for (;;) {
		const rows = await page(db, f, after);
		if (!rows.length) return;
		yield rows.map((r) => toLedgerRow(r, locale, ctx, names, idPolicy));
		if (rows.length < PAGE) return;
		const last = rows[rows.length - 1];
		after = { at: last.created_at, id: last.id };
	}
}
