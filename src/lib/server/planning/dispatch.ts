import { solve, type Job, type LatLng, type RouteStep, type Solution, type UnassignedReason } from '$lib/routing';
import { minutes, stopJob, teamVehicle, toClock, type Stop, type Team } from './day-model';

/*
 * The dispatch board's planning: optimise a day's visits over the teams (vehicles leaving and
 * returning to the outlet), or evaluate a given assignment and order, and turn the optimiser's
 * steps into timelines. Pure: dispatch-board.ts loads, publish.ts writes.
 */

export interface TimelineEntry {
	kind: 'start' | 'visit' | 'lunch' | 'end';
	visitId: string | null;
	/** `HH:MM` local. For `start`, when the team leaves the outlet. */
	arrival: string;
	waitMin: number;
	/** Service (or lunch) from–to; equal to arrival for start and end. */
	start: string;
	end: string;
	/** Driving since the previous step. */
	travelMin: number;
}

export interface TeamRoute {
	teamKey: string;
	visitIds: string[];
	entries: TimelineEntry[];
	travelMin: number;
}

export interface DayPlan {
	routes: TeamRoute[];
	unassigned: { visitId: string; reason: UnassignedReason }[];
	travelMin: number;
}

interface DayInput {
	outlet: LatLng;
	teams: Team[];
	visits: Stop[];
}

/** The fixed seed keeps re-optimising the same day reproducible for the head. */
export const OPTIMISE = { timeLimitMs: 2000, maxIterations: 20_000, seed: 1 };
const EVALUATE = { maxIterations: 0, timeLimitMs: 500, seed: 1 };

function entryOf(step: RouteStep, previousDeparture: number | null): TimelineEntry {
	const kind = step.type === 'job' ? 'visit' : step.type === 'break' ? 'lunch' : step.type;
	const at = step.type === 'start' ? step.departure : step.arrival;
	return {
		kind,
		visitId: step.type === 'job' ? String(step.id) : null,
		arrival: toClock(at),
		waitMin: step.type === 'start' ? 0 : minutes(step.waiting),
		start: toClock(step.type === 'start' ? step.departure : step.serviceStart),
		end: toClock(step.type === 'end' ? step.arrival : step.departure),
		travelMin: previousDeparture === null ? 0 : Math.max(0, minutes(step.arrival - previousDeparture))
	};
}

function planOf(solution: Solution, teams: Team[]): DayPlan {
	const routes = teams.map((team): TeamRoute => {
		const route = solution.routes.find((r) => r.vehicle === team.key);
		if (!route) return { teamKey: team.key, visitIds: [], entries: [], travelMin: 0 };
		let previous: number | null = null;
		const entries = route.steps.map((step) => {
			const entry = entryOf(step, previous);
			previous = step.departure;
			return entry;
		});
		const visitIds = route.steps.filter((s) => s.type === 'job').map((s) => String(s.id));
		return { teamKey: team.key, visitIds, entries, travelMin: minutes(route.travelTime) };
	});
	return {
		routes,
		unassigned: solution.unassigned.map((u) => ({ visitId: String(u.id), reason: u.reason })),
		travelMin: minutes(solution.summary.travelTime)
	};
}

/** The optimiser's best plan for the day; `locks` keeps a visit on the chosen team. */
export function optimiseDay(input: DayInput, locks: Map<string, string>, options = OPTIMISE): DayPlan {
	const teamKeys = new Set(input.teams.map((t) => t.key));
	const jobs: Job[] = input.visits.map((v) => {
		const team = locks.get(v.id);
		return stopJob(v, team && teamKeys.has(team) ? { vehicle: team } : undefined);
	});
	const vehicles = input.teams.map((t) => teamVehicle(t, input.outlet));
	return planOf(solve({ jobs, vehicles }, options), input.teams);
}

/** Timings of a given plan: each team serves its visits in exactly the given order. */
export function evaluateAssignment(input: DayInput, routes: Map<string, string[]>): DayPlan {
	const byId = new Map(input.visits.map((v) => [v.id, v]));
	const jobs: Job[] = [];
	for (const [team, ids] of routes) {
		ids.forEach((id, i) => {
			const visit = byId.get(id);
			if (visit) jobs.push(stopJob(visit, { vehicle: team, sequence: i }));
		});
	}
	const vehicles = input.teams.map((t) => teamVehicle(t, input.outlet));
	return planOf(solve({ jobs, vehicles }, EVALUATE), input.teams);
}
