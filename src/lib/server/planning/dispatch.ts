import { solve, type Job, type LatLng, type Problem, type RouteStep, type Solution, type UnassignedReason } from '$lib/routing';
import { minutes, stopJob, teamVehicle, toClock, type Stop, type Team } from './day-model';
import { movedIntoClashes } from './staff-clashes';
import { withTravel, type DayTravel } from './day-travel';

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
	/** The road path as [lat, lng] when a routing service gave one (road-travel.ts). */
	geometry?: [number, number][];
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
	/** Road travel times from ROUTING_URL; absent: the great-circle estimate. */
	travel?: DayTravel;
}

/** The fixed seed keeps re-optimising the same day reproducible for the head. */
export const OPTIMISE = { timeLimitMs: 2000, maxIterations: 20_000, seed: 1 };
const EVALUATE = { maxIterations: 0, timeLimitMs: 500, seed: 1 };

/**
 * The double-booking rule as capacity: a team may not hold two visits whose windows overlap
 * (approveRequest and rescheduleVisit refuse it), even when the optimiser could serve both.
 * Two windows overlap exactly when both contain the later start, so one capacity-1 dimension
 * per distinct window start, used by every window containing it, expresses the rule.
 */
function noOverlapCapacity(visits: Stop[]): { amount: (v: Stop) => number[]; capacity: number[] } {
	const starts = [...new Set(visits.map((v) => v.start))].sort();
	return {
		amount: (v) => starts.map((t) => (v.start <= t && t < v.end ? 1 : 0)),
		capacity: starts.map(() => 1)
	};
}

function vehiclesAndJobs(input: DayInput, lockOf: (v: Stop) => Job['lock']): Problem {
	const { amount, capacity } = noOverlapCapacity(input.visits);
	return withTravel(
		{
			jobs: input.visits.map((v) => ({ ...stopJob(v, lockOf(v)), amount: amount(v) })),
			vehicles: input.teams.map((t) => ({ ...teamVehicle(t, input.outlet), capacity }))
		},
		input.travel
	);
}

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

/** Rounds of "keep the clashing moves where they were" before giving the plan as it is. */
const CLASH_ROUNDS = 3;

/**
 * The optimiser's best plan for the day; `locks` keeps a visit on the chosen team. `current`
 * (visit → its team now) lets moves that would double-book a member shared by two teams be
 * undone (see staff-clashes.ts).
 */
export function optimiseDay(input: DayInput, locks: Map<string, string>, current = new Map<string, string>(), options = OPTIMISE): DayPlan {
	const teamKeys = new Set(input.teams.map((t) => t.key));
	const kept = new Map([...locks].filter(([, team]) => teamKeys.has(team)));
	for (let round = 1; ; round++) {
		const problem = vehiclesAndJobs(input, (v) => (kept.has(v.id) ? { vehicle: kept.get(v.id)! } : undefined));
		const plan = planOf(solve(problem, options), input.teams);
		const clashes = movedIntoClashes(plan, input.teams, input.visits, current);
		if (clashes.length === 0 || round === CLASH_ROUNDS) return plan;
		// The head's own locks stand; a clash they cause is refused when publishing, with the reason.
		const undo = clashes.filter((id) => !locks.has(id));
		if (undo.length === 0) return plan;
		for (const id of undo) kept.set(id, current.get(id)!);
	}
}

/** Timings of a given plan: each team serves its visits in exactly the given order. */
export function evaluateAssignment(input: DayInput, routes: Map<string, string[]>): DayPlan {
	const placed = new Map<string, { vehicle: string; sequence: number }>();
	for (const [team, ids] of routes) ids.forEach((id, i) => placed.set(id, { vehicle: team, sequence: i }));
	const visits = input.visits.filter((v) => placed.has(v.id));
	const problem = vehiclesAndJobs({ ...input, visits }, (v) => placed.get(v.id));
	return planOf(solve(problem, EVALUATE), input.teams);
}
