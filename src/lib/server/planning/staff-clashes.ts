import type { Stop, Team } from './day-model';
import type { DayPlan } from './dispatch';

/*
 * The optimiser sees teams as independent vehicles, but a staff member may be in two of the
 * day's pairs (heads rotate people). A plan that gives such a member two overlapping visits on
 * different teams would be refused when published (err_staff_busy), so those moves are found
 * here and the optimiser is asked again with the moved visits kept on their current team.
 */

/** Visits the plan moved to a team whose member is, at an overlapping time, on another team. */
export function movedIntoClashes(plan: DayPlan, teams: Team[], visits: Stop[], current: Map<string, string>): string[] {
	const byId = new Map(visits.map((v) => [v.id, v]));
	const teamOf = new Map(teams.map((t) => [t.key, t]));
	const clashes = new Set<string>();
	const staffVisits = new Map<string, { id: string; team: string }[]>();
	for (const route of plan.routes) {
		const team = teamOf.get(route.teamKey);
		if (!team) continue;
		for (const member of [team.leadStaffId, team.secondStaffId]) {
			const list = staffVisits.get(member) ?? [];
			list.push(...route.visitIds.map((id) => ({ id, team: route.teamKey })));
			staffVisits.set(member, list);
		}
	}
	for (const list of staffVisits.values()) {
		for (let i = 0; i < list.length; i++) {
			for (let j = i + 1; j < list.length; j++) {
				const [a, b] = [list[i], list[j]];
				const [va, vb] = [byId.get(a.id)!, byId.get(b.id)!];
				if (a.team === b.team || !(va.start < vb.end && vb.start < va.end)) continue;
				for (const x of [a, b]) if (current.has(x.id) && current.get(x.id) !== x.team) clashes.add(x.id);
			}
		}
	}
	return [...clashes];
}
