/**
 * Explains why a job ended up unassigned, by checking the job alone against each vehicle.
 * The reported reason is the furthest stage any vehicle got to: a job that some team could
 * serve on its own but that did not fit into the plan is `no_room`.
 */
import type { Model } from './model';
import { earliestStart } from './windows';
import { RoutePlan } from './solution';
import type { UnassignedReason } from './types';

const STAGES: UnassignedReason[] = [
	'no_team_with_skill',
	'capacity',
	'no_window_reachable',
	'shift_too_short',
	'breaks_conflict',
	'no_room'
];

export function unassignedReason(m: Model, job: number, emptyPlan: RoutePlan): UnassignedReason {
	let furthest = 0;
	const size = m.size;
	for (let v = 0; v < m.vehicleCount; v++) {
		if (!m.compat[job * m.vehicleCount + v]) continue;
		let stage = 1;
		if (emptyPlan.fitsCapacity(v, job)) {
			stage = 2;
			const from = m.nodeLoc[m.vehStart[v]];
			const loc = m.nodeLoc[job];
			const start = earliestStart(m, job, m.vehShiftStart[v] + m.matrices.time[from * size + loc]);
			if (start < Infinity) {
				stage = 3;
				const back = start + m.nodeService[job] + m.matrices.time[loc * size + m.nodeLoc[m.vehEnd[v]]];
				if (back <= m.vehShiftEnd[v]) {
					stage = 4;
					for (let p = 0; p < emptyPlan.len[v] - 1; p++) {
						if (emptyPlan.canInsert(v, p, job)) stage = 5;
					}
				}
			}
		}
		furthest = Math.max(furthest, stage);
	}
	return STAGES[furthest];
}
