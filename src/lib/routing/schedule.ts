/**
 * Turns a route's node sequence into the reported timetable: earliest service starts, then the
 * departure from the start is postponed as far as it removes waiting without moving anything
 * after the first wait (so the team does not leave early just to wait on a doorstep).
 */
import type { Model } from './model';
import { earliestStart } from './windows';
import type { RouteResult, RouteStep } from './types';

function windowEndContaining(m: Model, node: number, t: number): number {
	const first = m.twOffset[node];
	for (let w = first; w < first + m.twCount[node]; w++) {
		if (t >= m.twStart[w] && t <= m.twEnd[w]) return m.twEnd[w];
	}
	return t;
}

function timetable(m: Model, nodes: ArrayLike<number>, count: number, departure: number): RouteStep[] {
	const J = m.jobCount;
	const JB = J + m.breakCount;
	const size = m.size;
	const dims = m.dims;
	let load = new Array<number>(dims).fill(0);
	for (let i = 1; i < count - 1; i++) {
		const node = nodes[i];
		if (node < J) for (let d = 0; d < dims; d++) load[d] += m.jobAmount[node * dims + d];
	}
	const locOf = (node: number): number | null =>
		node >= J && node < JB ? null : m.nodeLoc[node] === m.matrices.nowhere ? null : m.nodeLoc[node];
	const steps: RouteStep[] = [
		{
			type: 'start',
			locationIndex: locOf(nodes[0]),
			arrival: departure,
			serviceStart: departure,
			waiting: 0,
			service: 0,
			departure,
			distance: 0,
			load: load.slice()
		}
	];
	let t = departure;
	let lastLoc = m.nodeLoc[nodes[0]];
	let distance = 0;
	const pending: number[] = [];
	for (let i = 1; i < count; i++) {
		const node = nodes[i];
		if (node >= J && node < JB) {
			pending.push(node);
			continue;
		}
		const loc = m.nodeLoc[node];
		t += m.matrices.time[lastLoc * size + loc];
		distance += m.matrices.distance[lastLoc * size + loc];
		lastLoc = loc;
		// Breaks still pending at the end place are not part of the route: the team is back (or
		// done) before the break had to be taken on the road, and takes it after the route. Only a
		// route that spans its break window stops for it (a lunch at 11:30 after a last visit that
		// ended at 10:40 kept the team out until 12:30).
		if (i === count - 1) pending.length = 0;
		for (const b of pending) {
			const start = earliestStart(m, b, t);
			steps.push({
				type: 'break',
				id: m.breakIds[b - J],
				locationIndex: null,
				arrival: t,
				serviceStart: start,
				waiting: start - t,
				service: m.nodeService[b],
				departure: start + m.nodeService[b],
				distance,
				load: load.slice()
			});
			t = start + m.nodeService[b];
		}
		pending.length = 0;
		const start = earliestStart(m, node, t);
		const isJob = node < J;
		if (isJob) {
			load = load.slice();
			for (let d = 0; d < dims; d++) load[d] -= m.jobAmount[node * dims + d];
		}
		steps.push({
			type: isJob ? 'job' : 'end',
			...(isJob ? { id: m.jobIds[node] } : {}),
			locationIndex: locOf(node),
			arrival: t,
			serviceStart: start,
			waiting: start - t,
			service: m.nodeService[node],
			departure: start + m.nodeService[node],
			distance,
			load: load.slice()
		});
		t = start + m.nodeService[node];
	}
	return steps;
}

export function routeResult(m: Model, v: number, nodes: ArrayLike<number>, count: number): RouteResult {
	const earliest = m.vehShiftStart[v];
	let steps = timetable(m, nodes, count, earliest);
	// Postpone departure by the first wait, limited by the windows of the stops before it.
	let delay = 0;
	for (let i = 1; i < steps.length; i++) {
		if (steps[i].waiting > 0) {
			delay = steps[i].waiting;
			for (let k = 1; k < i; k++) {
				const node = nodes[k]; // steps follow the node order, breaks included
				delay = Math.min(delay, windowEndContaining(m, node, steps[k].serviceStart) - steps[k].serviceStart);
			}
			delay = Math.min(delay, m.vehShiftEnd[v] - steps[steps.length - 1].arrival);
			break;
		}
	}
	if (delay > 0 && Number.isFinite(delay)) steps = timetable(m, nodes, count, earliest + delay);

	let travelTime = 0;
	let waiting = 0;
	let service = 0;
	let cost = 0;
	let lastLoc = m.nodeLoc[nodes[0]];
	for (let i = 1; i < count; i++) {
		const node = nodes[i];
		if (node >= m.jobCount && node < m.jobCount + m.breakCount) continue;
		const loc = m.nodeLoc[node];
		travelTime += m.matrices.time[lastLoc * m.size + loc];
		cost += m.arcCost[lastLoc * m.size + loc];
		lastLoc = loc;
	}
	for (const s of steps) {
		waiting += s.waiting;
		service += s.service;
	}
	const last = steps[steps.length - 1];
	return {
		vehicle: m.vehicleIds[v],
		steps,
		cost: cost + m.vehFixedCost[v],
		distance: last.distance,
		travelTime,
		duration: last.arrival - steps[0].departure,
		waiting,
		service
	};
}
