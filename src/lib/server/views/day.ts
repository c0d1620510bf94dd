import { isValidDate, localDate } from '$lib/domain/calendar';
import { residentView } from '$lib/domain/privacy';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { listVisitsForOutlet, listVisitsForStaff, type VisitListItem } from '$lib/server/repos/visits';
import { serviceNames } from './requests';
import { viewerOf } from './viewer';

export function dayParam(raw: string | null): string {
	const today = localDate(new Date().toISOString());
	return raw && isValidDate(raw) ? raw : today;
}

function visitCard(user: SessionUser, v: VisitListItem, names: Map<string, string>) {
	const scope = { communityId: v.communityId, outletId: v.outletId, assignedStaffIds: [v.leadStaffId, v.secondStaffId] };
	const resident = residentView(viewerOf(user), v.resident, scope, user.role === 'field_staff' ? 'visit' : 'list', config().idMaskPolicy);
	return {
		id: v.id,
		requestId: v.requestId,
		ref: v.requestRef,
		requestStatus: v.requestStatus,
		status: v.status,
		outcome: v.outcome,
		date: v.date,
		start: v.windowStart,
		end: v.windowEnd,
		lead: { id: v.leadStaffId, name: v.leadStaffName },
		second: { id: v.secondStaffId, name: v.secondStaffName },
		services: v.services.map((c) => names.get(c) ?? c),
		urgency: v.urgency,
		communityName: v.communityName,
		resident: resident && { name: resident.name, address: resident.address, phone: resident.phone, placeType: resident.placeType, mobility: resident.mobility }
	};
}
export type VisitCard = ReturnType<typeof visitCard>;

/** The outlet's visits on a day, grouped by two-person team (lead + second). */
export async function outletDay(db: Db, user: SessionUser, date: string, locale: string) {
	const [visits, names] = await Promise.all([listVisitsForOutlet(db, user.outletId ?? '', date), serviceNames(db, locale)]);
	const teams = new Map<string, { key: string; names: string; visits: VisitCard[] }>();
	for (const v of visits) {
		const key = `${v.leadStaffId}|${v.secondStaffId}`;
		const team = teams.get(key) ?? { key, names: `${v.leadStaffName} · ${v.secondStaffName}`, visits: [] };
		team.visits.push(visitCard(user, v, names));
		teams.set(key, team);
	}
	return { date, teams: [...teams.values()], total: visits.length };
}

/** A field staff member's own visits on a day, in time order. */
export async function staffDay(db: Db, user: SessionUser, date: string, locale: string) {
	const [visits, names] = await Promise.all([listVisitsForStaff(db, user.id, date), serviceNames(db, locale)]);
	return { date, visits: visits.map((v) => visitCard(user, v, names)) };
}
