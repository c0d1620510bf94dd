import { sameTeam, teamKey, type Team } from './day-model';

export interface StaffMember {
	id: string;
	name: string;
}

interface Staffed {
	leadStaffId: string;
	secondStaffId: string;
	start: string;
}

/**
 * The teams worth considering on a day: the pairs already out that day (adding to an existing
 * route is what saves travel), then pairs of staff with nothing booked. Capped, because every
 * team multiplies the work of the suggestions and the head cannot weigh dozens of options.
 */
export function candidateTeams(staff: StaffMember[], visits: Staffed[], max = 6): Team[] {
	const byId = new Map(staff.map((s) => [s.id, s]));
	const teams: Team[] = [];
	const add = (lead: StaffMember, second: StaffMember) =>
		teams.push({ key: teamKey(lead.id, second.id), leadStaffId: lead.id, secondStaffId: second.id, names: `${lead.name} · ${second.name}` });

	for (const v of [...visits].sort((a, b) => a.start.localeCompare(b.start))) {
		const lead = byId.get(v.leadStaffId);
		const second = byId.get(v.secondStaffId);
		// Inactive or moved staff cannot take new work: such a pair is no candidate.
		if (lead && second && !teams.some((t) => sameTeam(t, v))) add(lead, second);
	}
	const busy = new Set(visits.flatMap((v) => [v.leadStaffId, v.secondStaffId]));
	const free = staff.filter((s) => !busy.has(s.id));
	for (let i = 0; i < free.length; i++) {
		for (let j = i + 1; j < free.length; j++) add(free[i], free[j]);
	}
	return teams.slice(0, max);
}

/** Every visit either member of `team` is on: while on them, the member is not free. */
export function visitsOfMembers<V extends { leadStaffId: string; secondStaffId: string }>(team: Team, visits: V[]): V[] {
	const members = new Set([team.leadStaffId, team.secondStaffId]);
	return visits.filter((v) => members.has(v.leadStaffId) || members.has(v.secondStaffId));
}
