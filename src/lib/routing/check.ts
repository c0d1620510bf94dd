/**
 * Independent feasibility checker. It shares nothing with the optimiser but the public types:
 * it recomputes travel, the timetable rules, capacity, skills, breaks, locks and totals from the
 * problem and the reported solution, and lists every violation it finds.
 */
import type { Id, Job, Objective, Place, Problem, RouteStep, Solution, TimeWindow } from './types';

export type ViolationCode =
	| 'unknown_vehicle'
	| 'vehicle_used_twice'
	| 'route_shape'
	| 'unknown_job'
	| 'job_duplicated'
	| 'job_missing'
	| 'skill'
	| 'capacity'
	| 'time_window'
	| 'shift'
	| 'break_missing'
	| 'break_window'
	| 'travel'
	| 'schedule'
	| 'lock'
	| 'totals';

export interface Violation {
	code: ViolationCode;
	message: string;
}

export interface CheckResult {
	ok: boolean;
	violations: Violation[];
}

const EPS = 1e-6;
const close = (a: number, b: number) => Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b));

function inWindows(t: number, windows: TimeWindow[] | undefined): boolean {
	if (!windows || windows.length === 0) return true;
	return windows.some(([a, b]) => t >= a - EPS && t <= b + EPS);
}

/** Travel time and distance between two places, straight from the problem. */
function travelBetween(problem: Problem, a: Place | undefined, b: Place | undefined): { time: number; distance: number } {
	if (!a || !b) return { time: 0, distance: 0 };
	if (problem.matrices) {
		const i = a.locationIndex as number;
		const j = b.locationIndex as number;
		const time = problem.matrices.durations[i][j];
		return { time, distance: (problem.matrices.distances ?? problem.matrices.durations)[i][j] };
	}
	const p = a.location;
	const q = b.location;
	if (!p || !q) return { time: NaN, distance: NaN };
	const rad = Math.PI / 180;
	const h =
		Math.sin(((q.lat - p.lat) * rad) / 2) ** 2 +
		Math.cos(p.lat * rad) * Math.cos(q.lat * rad) * Math.sin(((q.lng - p.lng) * rad) / 2) ** 2;
	const metres = 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h))) * (problem.travel?.detourFactor ?? 1.35);
	const unitsPerHour = problem.travel?.timeUnitsPerHour ?? 3600;
	return { time: metres / (((problem.travel?.speedKmh ?? 25) * 1000) / unitsPerHour), distance: metres };
}

export function checkSolution(problem: Problem, solution: Solution, objective: Objective = {}): CheckResult {
	const violations: Violation[] = [];
	const fail = (code: ViolationCode, message: string) => violations.push({ code, message });
	const perDistance = objective.perDistance ?? 0;
	const perTravelTime = objective.perTravelTime ?? (perDistance === 0 ? 1 : 0);
	const perVehicle = objective.perVehicle ?? 0;

	const jobs = new Map<Id, Job>(problem.jobs.map((j) => [j.id, j]));
	const vehicles = new Map(problem.vehicles.map((v) => [v.id, v]));
	const seenJobs = new Set<Id>();
	const seenVehicles = new Set<Id>();
	const totals = { cost: 0, distance: 0, travelTime: 0, duration: 0, waiting: 0, service: 0 };

	for (const route of solution.routes) {
		const vehicle = vehicles.get(route.vehicle);
		const where = `route of vehicle ${route.vehicle}`;
		if (!vehicle) {
			fail('unknown_vehicle', `${where}: no such vehicle`);
			continue;
		}
		if (seenVehicles.has(vehicle.id)) fail('vehicle_used_twice', `${where}: vehicle has two routes`);
		seenVehicles.add(vehicle.id);
		const steps = route.steps;
		if (steps.length < 2 || steps[0].type !== 'start' || steps[steps.length - 1].type !== 'end') {
			fail('route_shape', `${where}: must begin with start and finish with end`);
			continue;
		}
		const [shiftStart, shiftEnd] = vehicle.shift ?? [0, Infinity];
		const skills = new Set((vehicle.skills ?? []).map(String));
		const load: number[] = [];
		const breaksSeen = new Set<Id>();
		const sequences: number[] = [];

		if (steps[0].departure < shiftStart - EPS) fail('shift', `${where}: leaves before the shift starts`);
		let lastPlace: Place | undefined = vehicle.start;
		let lastDeparture = steps[0].departure;
		let distance = 0;
		let travelTime = 0;
		let breakTime = 0;
		let waiting = 0;
		let service = 0;
		for (let i = 1; i < steps.length; i++) {
			const step: RouteStep = steps[i];
			const label = `${where}, step ${i} (${step.type}${step.id !== undefined ? ` ${step.id}` : ''})`;
			waiting += step.waiting;
			service += step.service;
			if (!close(step.waiting, step.serviceStart - step.arrival) || step.serviceStart < step.arrival - EPS) {
				fail('schedule', `${label}: waiting must equal service start − arrival`);
			}
			if (!close(step.departure, step.serviceStart + step.service)) fail('schedule', `${label}: departure ≠ start + duration`);
			if (step.arrival < steps[i - 1].departure - EPS) fail('schedule', `${label}: arrives before leaving the previous step`);

			if (step.type === 'break') {
				const b = (vehicle.breaks ?? []).find((x) => x.id === step.id);
				if (!b) {
					fail('route_shape', `${label}: not a break of this vehicle`);
					continue;
				}
				if (breaksSeen.has(b.id)) fail('route_shape', `${label}: break taken twice`);
				breaksSeen.add(b.id);
				if (!close(step.service, b.duration)) fail('break_window', `${label}: wrong break duration`);
				if (!inWindows(step.serviceStart, b.timeWindows)) fail('break_window', `${label}: starts outside its windows`);
				breakTime += step.service + step.waiting;
				continue;
			}
			if (step.type === 'start') {
				fail('route_shape', `${label}: start in the middle of a route`);
				continue;
			}
			let place: Place | undefined;
			if (step.type === 'end') {
				if (i !== steps.length - 1) fail('route_shape', `${label}: end before the last step`);
				place = vehicle.end;
				if (step.arrival > shiftEnd + EPS) fail('shift', `${label}: arrives after the shift ends`);
			} else {
				const job = jobs.get(step.id as Id);
				if (!job) {
					fail('unknown_job', `${label}: no such job`);
					continue;
				}
				if (seenJobs.has(job.id)) fail('job_duplicated', `${label}: job served more than once`);
				seenJobs.add(job.id);
				place = job;
				if (problem.matrices && step.locationIndex !== job.locationIndex) fail('route_shape', `${label}: wrong place`);
				if (!close(step.service, job.service ?? 0)) fail('schedule', `${label}: wrong service duration`);
				const windows = job.lock?.start !== undefined ? [[job.lock.start, job.lock.start] as TimeWindow] : job.timeWindows;
				if (!inWindows(step.serviceStart, windows)) fail('time_window', `${label}: starts outside its windows`);
				if (step.departure > shiftEnd + EPS) fail('shift', `${label}: ends after the shift`);
				for (const s of job.skills ?? []) if (!skills.has(String(s))) fail('skill', `${label}: team lacks skill ${s}`);
				(job.amount ?? []).forEach((a, d) => (load[d] = (load[d] ?? 0) + a));
				if (job.lock) {
					if (job.lock.vehicle !== vehicle.id) fail('lock', `${label}: locked to vehicle ${job.lock.vehicle}`);
					if (job.lock.sequence !== undefined) sequences.push(job.lock.sequence);
				}
			}
			const leg = travelBetween(problem, lastPlace, place);
			distance += leg.distance;
			travelTime += leg.time;
			// Travel and the breaks since the last stop must fit between leaving it and arriving here.
			if (step.arrival < lastDeparture + leg.time + breakTime - EPS * Math.max(1, step.arrival)) {
				fail('travel', `${label}: arrives sooner than travel and breaks allow`);
			}
			lastPlace = place ?? lastPlace;
			lastDeparture = step.departure;
			breakTime = 0;
		}
		// A break may be left out only when the route is over before the break's last window
		// closes: it is then taken after the route, at its end (schedule.ts).
		const over = steps[steps.length - 1].arrival;
		for (const b of vehicle.breaks ?? []) {
			const closes = b.timeWindows?.length ? Math.max(...b.timeWindows.map((w) => w[1])) : Infinity;
			if (!breaksSeen.has(b.id) && over > closes + EPS) fail('break_missing', `${where}: break ${b.id} not taken`);
		}
		(vehicle.capacity ?? []).forEach((c, d) => {
			if ((load[d] ?? 0) > c + EPS) fail('capacity', `${where}: load ${load[d]} exceeds capacity ${c} (dimension ${d})`);
		});
		for (let k = 1; k < sequences.length; k++) {
			if (sequences[k] < sequences[k - 1]) fail('lock', `${where}: order-locked jobs out of sequence`);
		}
		const duration = steps[steps.length - 1].arrival - steps[0].departure;
		const cost = perDistance * distance + perTravelTime * travelTime + (vehicle.fixedCost ?? 0) + perVehicle;
		const compare = (name: string, reported: number, actual: number) => {
			if (!close(reported, actual)) fail('totals', `${where}: reported ${name} ${reported} ≠ ${actual}`);
		};
		compare('distance', route.distance, distance);
		compare('travelTime', route.travelTime, travelTime);
		compare('duration', route.duration, duration);
		compare('waiting', route.waiting, waiting);
		compare('service', route.service, service);
		compare('cost', route.cost, cost);
		totals.cost += cost;
		totals.distance += distance;
		totals.travelTime += travelTime;
		totals.duration += duration;
		totals.waiting += waiting;
		totals.service += service;
	}

	const unassigned = new Set<Id>();
	for (const u of solution.unassigned) {
		if (!jobs.has(u.id)) fail('unknown_job', `unassigned ${u.id}: no such job`);
		if (seenJobs.has(u.id) || unassigned.has(u.id)) fail('job_duplicated', `job ${u.id} both served and unassigned`);
		unassigned.add(u.id);
	}
	for (const job of problem.jobs) {
		if (!seenJobs.has(job.id) && !unassigned.has(job.id)) fail('job_missing', `job ${job.id} neither served nor unassigned`);
	}
	const s = solution.summary;
	const compare = (name: string, reported: number, actual: number) => {
		if (!close(reported, actual)) fail('totals', `summary ${name} ${reported} ≠ ${actual}`);
	};
	for (const key of Object.keys(totals) as (keyof typeof totals)[]) compare(key, s[key], totals[key]);
	compare('vehiclesUsed', s.vehiclesUsed, solution.routes.length);
	compare('unassigned', s.unassigned, solution.unassigned.length);
	return { ok: violations.length === 0, violations };
}
