import { residentView } from '$lib/domain/privacy';
import { config } from '$lib/server/config';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getOutlet } from '$lib/server/repos/outlets';
import type { VisitListItem } from '$lib/server/repos/visits';
import { viewerOf } from '$lib/server/views/viewer';
import { sameTeam, teamKey, type Stop, type Team } from './day-model';
import { scheduledVisits, serviceDurations, visitStop } from './day-data';
import { evaluateAssignment, type DayPlan } from './dispatch';
import { readPublishedPlan } from './plan-store';
import { roadTravel } from './road-travel';

/** Distinguishable on the map and the timeline, and dark enough for white text (WCAG AA). */
const TEAM_COLOURS = ['#1f5fbf', '#b3261e', '#1b7a3d', '#8a4baf', '#a15c00', '#00727a', '#5b6b00', '#9c2a6f'];

export interface BoardTeam extends Team {
	colour: string;
}

export interface BoardVisit {
	id: string;
	requestId: string;
	ref: string;
	version: number;
	resident: string;
	address: string;
	start: string;
	end: string;
	serviceMin: number;
	teamKey: string;
	lat: number | null;
	lng: number | null;
}

/** The pairs out on the day, as they are booked: these are the vehicles of the optimiser. */
function dayTeams(visits: VisitListItem[]): BoardTeam[] {
	const teams: BoardTeam[] = [];
	for (const v of visits) {
		if (teams.some((t) => sameTeam(t, v))) continue;
		teams.push({
			key: teamKey(v.leadStaffId, v.secondStaffId),
			leadStaffId: v.leadStaffId,
			secondStaffId: v.secondStaffId,
			names: `${v.leadStaffName} · ${v.secondStaffName}`,
			colour: TEAM_COLOURS[teams.length % TEAM_COLOURS.length]
		});
	}
	return teams;
}

/** Everything the dispatch board needs for one day; `stops` and `outletPosition` stay server-side. */
export async function loadDispatchDay(db: Db, user: SessionUser, date: string) {
	const outletId = user.outletId ?? '';
	const [outlet, visits, durations, published] = await Promise.all([
		getOutlet(db, outletId),
		scheduledVisits(db, outletId, date),
		serviceDurations(db),
		readPublishedPlan(db, outletId, date)
	]);
	const outletPosition = { lat: outlet?.lat ?? 0, lng: outlet?.lng ?? 0 };
	const teams = dayTeams(visits);
	const teamOf = (v: { leadStaffId: string; secondStaffId: string }) => teams.find((t) => sameTeam(t, v))!.key;
	const stops: Stop[] = visits.map((v) => visitStop(v, outletPosition, durations));
	const viewer = viewerOf(user);
	const boardVisits: BoardVisit[] = visits.map((v, i) => {
		const scope = { communityId: v.communityId, outletId: v.outletId, assignedStaffIds: [v.leadStaffId, v.secondStaffId] };
		const r = residentView(viewer, v.resident, scope, 'list', config().idMaskPolicy);
		return {
			id: v.id,
			requestId: v.requestId,
			ref: v.requestRef,
			version: v.version,
			resident: r?.name ?? '',
			address: r?.address ?? '',
			start: v.windowStart,
			end: v.windowEnd,
			serviceMin: stops[i].serviceMin,
			teamKey: teamOf(v),
			lat: r?.lat ?? null,
			lng: r?.lng ?? null
		};
	});

	// Today's routes as booked: the published order where there is one, else by window.
	const order = new Map(published.visits.map((p) => [p.visitId, p.plannedOrder]));
	const routes = new Map<string, string[]>(teams.map((t) => [t.key, []]));
	const sorted = [...boardVisits].sort((a, b) => (order.get(a.id) ?? 1e6) - (order.get(b.id) ?? 1e6) || a.start.localeCompare(b.start));
	for (const v of sorted) routes.get(v.teamKey)!.push(v.id);
	// Road times from ROUTING_URL when set (undefined: the great-circle estimate).
	const travel = await roadTravel([outletPosition, ...stops.map((s) => s.location)]);
	const current: DayPlan = evaluateAssignment({ outlet: outletPosition, teams, visits: stops, travel }, routes);

	return {
		date,
		outlet: { name: outlet?.name ?? '', ...outletPosition },
		outletPosition,
		teams,
		visits: boardVisits,
		stops,
		travel,
		current,
		publishedAt: published.publishedAt
	};
}
export type DispatchDay = Awaited<ReturnType<typeof loadDispatchDay>>;
