/*
 * The tablet's own re-plan of the day's remaining stops, offline: builds the optimiser's input
 * from the visits on the device and turns its answer into a local suggestion. Pure (no Dexie,
 * no DOM): the worker runs `solve`, the UI shows the result; tested in replan-input.test.ts.
 *
 * Rules (the server's dispatch board uses the outlet's working day; the tablet knows less and
 * plans what is left from where the team is):
 * - Remaining: scheduled, not withdrawn, the request still approved, not finished on this tablet.
 * - A visit the team is at (arrived / in progress) is not re-planned: the route starts there,
 *   once its service is over. Otherwise it starts at the tablet's position, else at the first stop.
 * - Start time: now (today) or 08:30 (a later day); each resident's window still bounds the start
 *   of service, so a stop whose window can no longer be reached is reported, not moved.
 * - Lunch (60 min, starting 11:30–12:30) only while the route starts before 11:30.
 * - No end place and no end of shift: the team goes home from its last stop.
 */
import type { Job, LatLng, Problem, Solution, UnassignedReason, Vehicle } from '$lib/routing';
import type { LocalStop } from './day-order';

export const REPLAN_VEHICLE = 'tablet';
export const DAY_START = '08:30';
const LUNCH = { earliest: '11:30', latest: '12:30', minutes: 60 };
const DEFAULT_SERVICE_MIN = 30;
const DAY_END = 24 * 3600;

export interface ReplanVisit {
	id: string;
	date: string;
	start: string;
	end: string;
	status: 'scheduled' | 'visited' | 'cancelled';
	requestStatus: string;
	withdrawnAt: string | null;
	services: string[];
	location: LatLng | null;
	/** The tablet's draft step of the visit (`not_started` when there is no draft). */
	step: string;
	/** When the team checked in (ISO), for a visit in progress. */
	arrivedAt: string | null;
}

export interface ReplanContext {
	date: string;
	/** Today's date and the local wall-clock time `HH:MM` (Asia/Shanghai). */
	today: string;
	nowClock: string;
	/** Epoch ms of "now": the remaining service time of the visit in progress. */
	nowMs: number;
	position: LatLng | null;
	/** Service code → minutes, from the tablet's catalogue. */
	durations: Map<string, number>;
}

export type UnplacedReason = UnassignedReason | 'no_position';

export interface ReplanInput {
	problem: Problem;
	/** The visit the team is at, not re-planned (null when none). */
	currentVisitId: string | null;
	from: 'position' | 'current_visit' | 'first_stop';
	/** Remaining visits the optimiser cannot take (no pin). */
	unplaced: { visitId: string; reason: UnplacedReason }[];
	startClock: string;
}

export interface LocalPlan {
	date: string;
	createdAt: string;
	from: ReplanInput['from'];
	currentVisitId: string | null;
	stops: LocalStop[];
	unplaced: { visitId: string; reason: UnplacedReason }[];
}

export const toSeconds = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;

export function toClock(seconds: number): string {
	const minutes = Math.min(24 * 60 - 1, Math.round(seconds / 60));
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const IN_PROGRESS = new Set(['arrived', 'in_progress']);

export function isRemaining(v: ReplanVisit): boolean {
	return v.status === 'scheduled' && v.withdrawnAt === null && v.requestStatus === 'approved' && v.step !== 'completed';
}

export function serviceMinutes(codes: string[], durations: Map<string, number>): number {
	const total = codes.reduce((sum, code) => sum + (durations.get(code) ?? DEFAULT_SERVICE_MIN), 0);
	return total > 0 ? total : DEFAULT_SERVICE_MIN;
}

/** Null when there is nothing to plan: a past day, or no remaining visit with a pin. */
export function buildReplanInput(visits: ReplanVisit[], ctx: ReplanContext): ReplanInput | null {
	if (ctx.date < ctx.today) return null;
	const remaining = visits.filter((v) => v.date === ctx.date && isRemaining(v));
	const current = remaining.find((v) => IN_PROGRESS.has(v.step) && v.location) ?? null;
	const unplaced = remaining.filter((v) => !v.location).map((v) => ({ visitId: v.id, reason: 'no_position' as const }));
	const toPlan = remaining.filter((v) => v.location && v !== current);
	if (toPlan.length === 0) return null;

	let startSec = Math.max(toSeconds(DAY_START), ctx.date === ctx.today ? toSeconds(ctx.nowClock) : 0);
	let start: LatLng | null = ctx.position;
	let from: ReplanInput['from'] = ctx.position ? 'position' : 'first_stop';
	if (current) {
		// The team is at a visit: the rest of the route begins where and when it ends.
		const serviceMs = serviceMinutes(current.services, ctx.durations) * 60_000;
		const arrived = current.arrivedAt ? Date.parse(current.arrivedAt) : ctx.nowMs;
		startSec += Math.max(0, Math.round((arrived + serviceMs - ctx.nowMs) / 1000));
		start = current.location;
		from = 'current_visit';
	}
	startSec = Math.min(startSec, DAY_END - 60);

	const jobs: Job[] = toPlan.map((v) => ({
		id: v.id,
		location: v.location!,
		service: serviceMinutes(v.services, ctx.durations) * 60,
		timeWindows: [[toSeconds(v.start), toSeconds(v.end)]]
	}));
	const vehicle: Vehicle = {
		id: REPLAN_VEHICLE,
		start: start ? { location: start } : undefined,
		shift: [startSec, DAY_END],
		breaks:
			startSec < toSeconds(LUNCH.earliest)
				? [{ id: 'lunch', timeWindows: [[toSeconds(LUNCH.earliest), toSeconds(LUNCH.latest)]], duration: LUNCH.minutes * 60 }]
				: []
	};
	return { problem: { jobs, vehicles: [vehicle] }, currentVisitId: current?.id ?? null, from, unplaced, startClock: toClock(startSec) };
}

/** The optimiser's answer as the tablet's suggestion: stops in order with expected service start. */
export function toLocalPlan(input: ReplanInput, solution: Solution, date: string, createdAt: string): LocalPlan {
	const route = solution.routes.find((r) => r.vehicle === REPLAN_VEHICLE);
	const jobs = route ? route.steps.filter((s) => s.type === 'job') : [];
	const offset = input.currentVisitId ? 1 : 0;
	const stops: LocalStop[] = jobs.map((s, i) => ({ visitId: String(s.id), order: i + 1 + offset, arrival: toClock(s.serviceStart) }));
	if (input.currentVisitId) stops.unshift({ visitId: input.currentVisitId, order: 1, arrival: '' });
	return {
		date,
		createdAt,
		from: input.from,
		currentVisitId: input.currentVisitId,
		stops,
		unplaced: [...solution.unassigned.map((u) => ({ visitId: String(u.id), reason: u.reason as UnplacedReason })), ...input.unplaced]
	};
}
