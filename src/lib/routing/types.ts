/**
 * Public input/output types of the route optimiser, modelled on VROOM's JSON API
 * (camelCase instead of snake_case). Times and durations are plain numbers in one unit
 * chosen by the caller (seconds for the product, Solomon's abstract units for the bench).
 */

export type Id = string | number;

export interface LatLng {
	lat: number;
	lng: number;
}

/** A closed interval [start, end] during which something may *start*. */
export type TimeWindow = [number, number];

/** Where something happens: either a position or an index into the caller's matrices. */
export interface Place {
	location?: LatLng;
	locationIndex?: number;
}

export interface JobLock {
	/** The job must be served by this vehicle. */
	vehicle: Id;
	/** Service must start exactly at this time (replaces the job's time windows). */
	start?: number;
	/**
	 * Jobs locked to the same vehicle with a `sequence` keep this relative order
	 * (ascending). Other jobs may still be inserted between them.
	 */
	sequence?: number;
}

export interface Job extends Place {
	id: Id;
	/** Service duration at the stop. */
	service?: number;
	/** Allowed service start windows; several are allowed. Empty/absent = any time. */
	timeWindows?: TimeWindow[];
	/** Every listed skill must be held by the vehicle. */
	skills?: Id[];
	/** 0 (default) .. 100: higher priority jobs are kept assigned at the expense of lower ones. */
	priority?: number;
	/** Quantities consumed from the vehicle's capacity (one number per dimension). */
	amount?: number[];
	lock?: JobLock;
}

export interface Break {
	id: Id;
	/** Windows in which the break may start. */
	timeWindows: TimeWindow[];
	duration: number;
}

/** A vehicle is a team: its own start/end place, shift, breaks, skills and capacity. */
export interface Vehicle {
	id: Id;
	/** Start place; absent = the route starts at its first job. */
	start?: Place;
	/** End place; absent = the route ends at its last job. */
	end?: Place;
	/** Working time: leave start no earlier than shift[0], reach end no later than shift[1]. */
	shift?: TimeWindow;
	breaks?: Break[];
	skills?: Id[];
	/** One number per amount dimension; absent = unlimited. */
	capacity?: number[];
	/** Cost added when the vehicle serves at least one job. */
	fixedCost?: number;
}

/** Square matrices indexed by `locationIndex`. */
export interface TravelMatrices {
	/** Travel times, in the same unit as time windows. */
	durations: ArrayLike<number>[];
	/** Travel distances (e.g. metres). Absent = equal to durations. */
	distances?: ArrayLike<number>[];
}

export interface TravelModel {
	/** Average speed used when travel times are derived from positions (km/h). Default 25. */
	speedKmh?: number;
	/** Road distance ÷ great-circle distance. Default 1.35. */
	detourFactor?: number;
	/** Unit of time windows per hour (3600 for seconds, 60 for minutes). Default 3600. */
	timeUnitsPerHour?: number;
}

export interface Problem {
	jobs: Job[];
	vehicles: Vehicle[];
	/** If given, every place must use `locationIndex` into these matrices. */
	matrices?: TravelMatrices;
	/** Used when `matrices` is absent and places carry `location`. */
	travel?: TravelModel;
}

export interface Objective {
	/** Cost per unit of distance. Default 0. */
	perDistance?: number;
	/** Cost per unit of travel time. Default 1 (when perDistance is 0). */
	perTravelTime?: number;
	/** Cost per vehicle used, on top of each vehicle's fixedCost. Default 0. */
	perVehicle?: number;
}

export interface SolveOptions {
	/** Wall-clock budget in milliseconds (default 1000). */
	timeLimitMs?: number;
	/**
	 * Stop after this many ruin-and-recreate iterations. When set, the annealing schedule follows
	 * iterations instead of the clock, so the same seed and maxIterations give the same output
	 * (as long as the time limit is not reached first).
	 */
	maxIterations?: number;
	seed?: number;
	objective?: Objective;
	/** Injectable clock (ms); defaults to Date.now. */
	now?: () => number;
}

export type UnassignedReason =
	| 'no_team_with_skill'
	| 'capacity'
	| 'no_window_reachable'
	| 'shift_too_short'
	| 'breaks_conflict'
	| 'locked_infeasible'
	| 'no_room';

export interface UnassignedJob {
	id: Id;
	reason: UnassignedReason;
}

export type StepType = 'start' | 'job' | 'break' | 'end';

export interface RouteStep {
	type: StepType;
	/** Job or break id; absent for start and end. */
	id?: Id;
	/** Matrix index of the place; null for a break (taken where the team is) or a missing start/end. */
	locationIndex: number | null;
	arrival: number;
	serviceStart: number;
	waiting: number;
	/** Service (or break) duration. */
	service: number;
	departure: number;
	/** Cumulative distance travelled when arriving here. */
	distance: number;
	/** Load on board after this step (deliveries are loaded at the start). */
	load: number[];
}

export interface RouteTotals {
	cost: number;
	distance: number;
	travelTime: number;
	/** From leaving the start to arriving at the end. */
	duration: number;
	waiting: number;
	service: number;
}

export interface RouteResult extends RouteTotals {
	vehicle: Id;
	steps: RouteStep[];
}

export interface SolutionSummary extends RouteTotals {
	vehiclesUsed: number;
	unassigned: number;
}

export interface Solution {
	routes: RouteResult[];
	unassigned: UnassignedJob[];
	summary: SolutionSummary;
	/** Search statistics (not part of the plan). */
	stats: { iterations: number; elapsedMs: number; seed: number };
}
