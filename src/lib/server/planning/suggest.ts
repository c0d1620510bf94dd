import { solve, type LatLng, type UnassignedReason } from '$lib/routing';
import { minutes, SLOT_MINUTES, stopJob, teamVehicle, toClock, toSeconds, WORK_END, WORK_START, type Stop, type Team } from './day-model';
import { candidateTeams, visitsOfMembers, type StaffMember } from './teams';

/*
 * Slot suggestions for approving a request: for each preferred window (or, when none has room,
 * each working day up to the time limit) and each candidate team, the cheapest place to add the
 * visit to the team's day, measured as extra travel with the route optimiser. Pure: the loader
 * (suggest-loader.ts) fetches the data.
 */

export interface DayVisit extends Stop {
	leadStaffId: string;
	secondStaffId: string;
}

export interface SuggestInput {
	request: { windows: { date: string; start: string; end: string }[]; serviceMin: number; location: LatLng };
	outlet: LatLng;
	staff: StaffMember[];
	/** The outlet's scheduled visits for every date in `windows` and `fallbackDays`. */
	visitsByDate: Map<string, DayVisit[]>;
	/** Working days after today up to the visit time limit, in order. */
	fallbackDays: string[];
	/** Last date that meets the visit time limit (`YYYY-MM-DD`). */
	deadline: string;
	today: string;
	/** Local time now (`HH:MM`): slots today must still lie ahead. */
	nowClock: string;
	isWorkingDay: (date: string) => boolean;
}

export type DropReason = 'past' | 'not_working_day' | 'outside_hours' | 'staff_busy' | UnassignedReason;

export interface Suggestion {
	key: string;
	date: string;
	start: string;
	end: string;
	leadStaffId: string;
	secondStaffId: string;
	teamNames: string;
	addedTravelMin: number;
	respectsWindow: boolean;
	meetsTimeLimit: boolean;
}

export interface Dropped {
	date: string;
	start: string;
	end: string;
	teamNames: string | null;
	reason: DropReason;
}

interface Window {
	date: string;
	start: string;
	end: string;
	respectsWindow: boolean;
}

const NEW_ID = '__new__';
const HALF_HOUR = 1800;
/** Small, locked problems: the construction alone is exact, no search needed. */
const EVALUATE = { maxIterations: 0, timeLimitMs: 200, seed: 1 };

export const slotKey = (s: Pick<Suggestion, 'date' | 'start' | 'end' | 'leadStaffId' | 'secondStaffId'>): string =>
	[s.date, s.start, s.end, s.leadStaffId, s.secondStaffId].join('_');

/** The team's route through `stops` in time order: its travel, or why `NEW_ID` cannot join. */
function routeTravel(outlet: LatLng, team: Team, stops: Stop[]): { travel: number } | { reason: UnassignedReason } {
	const ordered = [...stops].sort((a, b) => a.start.localeCompare(b.start));
	const jobs = ordered.map((s, i) => ({
		...stopJob(s, { vehicle: team.key, sequence: i }),
		// Existing bookings win: when something must give, it is the proposed visit.
		priority: s.id === NEW_ID ? 0 : 100
	}));
	const solution = solve({ jobs, vehicles: [teamVehicle(team, outlet)] }, EVALUATE);
	const refused = solution.unassigned.find((u) => u.id === NEW_ID);
	return refused ? { reason: refused.reason } : { travel: solution.summary.travelTime };
}

/** Arrival windows of SLOT_MINUTES inside the window and the working day, every half hour. */
function slotsIn(w: Window, earliest: number): [number, number][] {
	const lo = Math.ceil(Math.max(toSeconds(w.start), toSeconds(WORK_START), earliest) / 900) * 900;
	const hi = Math.min(toSeconds(w.end), toSeconds(WORK_END));
	const length = SLOT_MINUTES * 60;
	if (hi - lo < length) return hi - lo >= 900 ? [[lo, hi]] : [];
	const slots: [number, number][] = [];
	for (let s = lo; s + length <= hi; s += HALF_HOUR) slots.push([s, s + length]);
	return slots;
}

const overlaps = (a: [number, number], v: Stop) => a[0] < toSeconds(v.end) && toSeconds(v.start) < a[1];

/** Best slot for one team in one window, or the reason there is none. */
function bestForTeam(input: SuggestInput, w: Window, team: Team, slots: [number, number][], dayVisits: DayVisit[]) {
	const members = visitsOfMembers(team, dayVisits);
	const base = routeTravel(input.outlet, team, members);
	const baseTravel = 'travel' in base ? base.travel : 0;
	let best: Suggestion | null = null;
	let reason: DropReason = 'staff_busy';
	for (const slot of slots) {
		// The double-booking rule of approveRequest: no overlapping window for either member.
		if (members.some((v) => overlaps(slot, v))) continue;
		const proposed: Stop = { id: NEW_ID, location: input.request.location, start: toClock(slot[0]), end: toClock(slot[1]), serviceMin: input.request.serviceMin };
		const result = routeTravel(input.outlet, team, [...members, proposed]);
		if ('reason' in result) {
			reason = result.reason;
			continue;
		}
		const added = Math.max(0, minutes(result.travel - baseTravel));
		if (best && added >= best.addedTravelMin) continue;
		const picked = { date: w.date, start: proposed.start, end: proposed.end, leadStaffId: team.leadStaffId, secondStaffId: team.secondStaffId };
		best = { key: slotKey(picked), ...picked, teamNames: team.names, addedTravelMin: added, respectsWindow: w.respectsWindow, meetsTimeLimit: w.date <= input.deadline };
	}
	return best ?? reason;
}

function suggestInWindows(input: SuggestInput, windows: Window[], dropped: Dropped[]): Suggestion[] {
	const found: Suggestion[] = [];
	for (const w of windows) {
		const drop = (reason: DropReason, teamNames: string | null = null) => dropped.push({ date: w.date, start: w.start, end: w.end, teamNames, reason });
		if (w.date < input.today) { drop('past'); continue; }
		if (!input.isWorkingDay(w.date)) { drop('not_working_day'); continue; }
		const earliest = w.date === input.today ? toSeconds(input.nowClock) + HALF_HOUR : 0;
		const slots = slotsIn(w, earliest);
		if (slots.length === 0) { drop(w.date === input.today ? 'past' : 'outside_hours'); continue; }
		const dayVisits = input.visitsByDate.get(w.date) ?? [];
		for (const team of candidateTeams(input.staff, dayVisits)) {
			const best = bestForTeam(input, w, team, slots, dayVisits);
			if (typeof best === 'string') drop(best, team.names);
			else found.push(best);
		}
	}
	return found;
}

/** Respects the resident's window, then meets the time limit, then least added travel. */
export function rankSuggestions(list: Suggestion[]): Suggestion[] {
	return [...list].sort(
		(a, b) =>
			Number(b.respectsWindow) - Number(a.respectsWindow) ||
			Number(b.meetsTimeLimit) - Number(a.meetsTimeLimit) ||
			a.addedTravelMin - b.addedTravelMin ||
			a.date.localeCompare(b.date) ||
			a.start.localeCompare(b.start) ||
			a.teamNames.localeCompare(b.teamNames)
	);
}

export function suggestSlots(input: SuggestInput, limit = 5): { suggestions: Suggestion[]; dropped: Dropped[] } {
	const dropped: Dropped[] = [];
	const preferred = input.request.windows.map((w) => ({ ...w, respectsWindow: true }));
	let found = suggestInWindows(input, preferred, dropped);
	if (found.length === 0) {
		// Every preferred window is full or gone: offer whole working days up to the time limit.
		const days = input.fallbackDays.map((date) => ({ date, start: WORK_START, end: WORK_END, respectsWindow: false }));
		found = suggestInWindows(input, days, dropped);
	}
	return { suggestions: rankSuggestions(found).slice(0, limit), dropped };
}
