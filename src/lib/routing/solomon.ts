/**
 * Solomon (1987) VRPTW text format → Problem. Pure: takes the file's text.
 * Conventions (see shared/bench/vrptw/README.md): customer 0 is the depot, Euclidean distances
 * in double precision, travel time = distance, service starts inside [ready, due], vehicles
 * return to the depot by its due date, the fleet size and capacity come from the VEHICLE block.
 */
import type { Objective, Problem } from './types';

export interface SolomonCustomer {
	id: number;
	x: number;
	y: number;
	demand: number;
	ready: number;
	due: number;
	service: number;
}

export interface SolomonInstance {
	name: string;
	vehicles: number;
	capacity: number;
	/** customers[0] is the depot. */
	customers: SolomonCustomer[];
}

/** The bench objective: total distance only, fleet size fixed. */
export const SOLOMON_OBJECTIVE: Objective = { perDistance: 1, perTravelTime: 0, perVehicle: 0 };

export function parseSolomon(text: string): SolomonInstance {
	const lines = text.split(/\r?\n/).map((l) => l.trim());
	const name = lines.find((l) => l.length > 0) ?? '';
	const vehicleAt = lines.findIndex((l) => l.toUpperCase() === 'VEHICLE');
	if (vehicleAt < 0) throw new Error('Solomon file without VEHICLE block');
	const numbers = (l: string) => l.split(/\s+/).filter(Boolean).map(Number);
	let fleet: number[] = [];
	for (let i = vehicleAt + 1; i < lines.length && fleet.length < 2; i++) {
		const row = numbers(lines[i]);
		if (row.length >= 2 && row.every(Number.isFinite)) fleet = row;
	}
	const customerAt = lines.findIndex((l) => l.toUpperCase() === 'CUSTOMER');
	if (customerAt < 0 || fleet.length < 2) throw new Error('Solomon file without CUSTOMER block or fleet');
	const customers: SolomonCustomer[] = [];
	for (let i = customerAt + 1; i < lines.length; i++) {
		const row = numbers(lines[i]);
		if (row.length < 7 || !row.every(Number.isFinite)) continue;
		const [id, x, y, demand, ready, due, service] = row;
		customers.push({ id, x, y, demand, ready, due, service });
	}
	if (customers.length === 0 || customers[0].id !== 0) throw new Error('Solomon file: customer 0 (depot) must come first');
	return { name, vehicles: fleet[0], capacity: fleet[1], customers };
}

export function solomonToProblem(inst: SolomonInstance): Problem {
	const c = inst.customers;
	const n = c.length;
	const matrix: number[][] = [];
	for (let i = 0; i < n; i++) {
		const row = new Array<number>(n);
		for (let j = 0; j < n; j++) row[j] = Math.sqrt((c[i].x - c[j].x) ** 2 + (c[i].y - c[j].y) ** 2);
		matrix.push(row);
	}
	const depot = c[0];
	return {
		jobs: c.slice(1).map((cu, k) => ({
			id: cu.id,
			locationIndex: k + 1,
			service: cu.service,
			timeWindows: [[cu.ready, cu.due]],
			amount: [cu.demand]
		})),
		vehicles: Array.from({ length: inst.vehicles }, (_, k) => ({
			id: k + 1,
			start: { locationIndex: 0 },
			end: { locationIndex: 0 },
			shift: [depot.ready, depot.due],
			capacity: [inst.capacity]
		})),
		matrices: { durations: matrix, distances: matrix }
	};
}
