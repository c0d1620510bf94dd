import { addDays, localDate, shanghaiInstant } from '$lib/domain/calendar';
import { CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import type { VisitOutcome } from '$lib/domain/status';
import type { Community } from '$lib/server/repos/communities';
import type { Resident } from '$lib/server/repos/residents';
import type { User } from '$lib/server/repos/users';
import type { Tx } from '$lib/server/workflow/context';
import { approveRequest, cancelRequest, rejectRequest } from '$lib/server/workflow/decide';
import { markProcessed } from '$lib/server/workflow/process';
import { submitRequest } from '$lib/server/workflow/submit';
import type { VisitPlan } from '$lib/server/workflow/staffing';
import { recordOutcome, reopenRequest } from '$lib/server/workflow/visit';

/*
 * Demo requests in every status, made through the real use cases (so every one has a
 * consistent audit trail), at times relative to `now`: some overdue, visits today and in the
 * coming days, outcomes in the past weeks. All steps run in time order, so the audit log's
 * sequence matches its timestamps.
 */

export interface DemoWorld {
	communities: Community[];
	residents: Resident[];
	/** By outlet id. */
	heads: Map<string, User>;
	staff: Map<string, User[]>;
	/** By community id. */
	workers: Map<string, User>;
}

type Kind =
	| 'submitted' | 'submitted_overdue' | 'approved_today' | 'approved_upcoming' | 'reopened'
	| 'rejected' | 'cancelled_by_worker' | 'cancelled_by_head'
	| VisitOutcome | `processed_${'completed' | 'refused' | 'not_home'}`;

const PLAN: [Kind, number][] = [
	['submitted', 4], ['submitted_overdue', 2], ['approved_today', 3], ['approved_upcoming', 4],
	['reopened', 1], ['rejected', 2], ['cancelled_by_worker', 1], ['cancelled_by_head', 1],
	['completed', 3], ['not_home', 2], ['refused', 1], ['follow_up', 2],
	['processed_completed', 1], ['processed_refused', 1], ['processed_not_home', 1]
];

const SLOTS = [['09:00', '10:00'], ['10:30', '11:30'], ['14:00', '15:00'], ['15:30', '16:30']] as const;
const NOTES = ['', '老人卧床，需上门办理', '请提前一天电话联系家属', '家中有狗，请敲门后稍等', '', '老人听力不好，请大声说话'];
const REJECT_REASONS = ['老人可由家属陪同到网点“绿色通道”办理，已电话告知家属', '该业务需本人到柜面办理，已与社区沟通'];
const OUTCOME_NOTES: Record<VisitOutcome, string> = {
	completed: '已核验身份，业务办理完成',
	not_home: '上门时无人应答，已联系社区',
	refused: '老人表示暂不办理',
	follow_up: '需补充材料后再次上门'
};

interface Step {
	at: Date;
	run: () => Promise<unknown>;
}

export async function seedDemoRequests(tx: Tx, world: DemoWorld, rng: () => number, now: Date): Promise<number> {
	const today = localDate(now.toISOString());
	const day = (daysAgo: number, time: string) => new Date(shanghaiInstant(addDays(today, -daysAgo), time));
	const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
	const communityOf = new Map(world.communities.map((c) => [c.id, c]));

	// One team out at a time per outlet: four non-overlapping slots a day, staff rotating.
	const used = new Map<string, number>();
	const slot = (outletId: string, date: string): VisitPlan => {
		const k = used.get(`${outletId}|${date}`) ?? 0;
		if (k >= SLOTS.length) throw new Error('demo seed: too many visits on one day');
		used.set(`${outletId}|${date}`, k + 1);
		const team = world.staff.get(outletId)!;
		return { date, start: SLOTS[k][0], end: SLOTS[k][1], leadStaffId: team[k % team.length].id, secondStaffId: team[(k + 1) % team.length].id };
	};

	// Residents by community, taken in an order that alternates outlets, so consecutive
	// scenarios (e.g. the three visits today) land at different outlets.
	const queues = world.communities.map((c) => world.residents.filter((r) => r.communityId === c.id));
	const order = [0, 3, 5, 1, 4, 2].filter((i) => i < queues.length);
	let cursor = 0;
	const nextResident = (): Resident => {
		for (let tries = 0; tries < order.length; tries++) {
			const queue = queues[order[cursor++ % order.length]];
			if (queue.length) return queue.shift()!;
		}
		throw new Error('demo seed: not enough residents');
	};

	const steps: Step[] = [];
	let count = 0;
	for (const [kind, n] of PLAN) {
		for (let j = 0; j < n; j++) {
			const resident = nextResident();
			const community = communityOf.get(resident.communityId)!;
			const worker = world.workers.get(community.id)!;
			const head = world.heads.get(community.outletId)!;
			const ref = { id: '' };
			const services = rng() < 0.35 ? [DEFAULT_SERVICES[0].code, DEFAULT_SERVICES[4].code] : [DEFAULT_SERVICES[Math.floor(rng() * 6)].code];
			const guardian = resident.mobility === 'bedridden' && resident.contactName !== null;
			const urgent = rng() < 0.2;
			const note = NOTES[Math.floor(rng() * NOTES.length)];

			const submit = (at: Date) => {
				const date = localDate(at.toISOString());
				steps.push({
					at,
					run: async () => {
						const request = await submitRequest(tx, worker, {
							residentId: resident.id,
							services,
							urgency: urgent ? 'urgent' : 'normal',
							windows: [
								{ date: addDays(date, 2), start: '09:00', end: '11:30' },
								{ date: addDays(date, 3), start: '14:00', end: '16:30' }
							],
							notes: note,
							consent: guardian
								? { by: 'guardian', name: resident.contactName!, relation: resident.contactRelation, version: CURRENT_CONSENT_VERSION }
								: { by: 'resident', name: resident.name, version: CURRENT_CONSENT_VERSION }
						}, at);
						ref.id = request.id;
					}
				});
			};
			const approve = (at: Date, visitDate: string) =>
				steps.push({ at, run: () => approveRequest(tx, head, ref.id, slot(community.outletId, visitDate), at) });
			const outcome = (visitDate: string, result: VisitOutcome) => {
				const at = new Date(shanghaiInstant(visitDate, '17:00'));
				const staffer = world.staff.get(community.outletId)![0];
				steps.push({
					at,
					run: async () => {
						const visit = await tx.selectFrom('visits').select(['lead_staff_id', 'window_start']).where('request_id', '=', ref.id).where('status', '=', 'scheduled').executeTakeFirstOrThrow();
						const actor = { id: visit.lead_staff_id, role: 'field_staff' as const, outletId: staffer.outletId, communityId: null };
						await recordOutcome(tx, actor, ref.id, { outcome: result, note: OUTCOME_NOTES[result], visitedAt: shanghaiInstant(visitDate, visit.window_start) }, at);
					}
				});
			};

			const D = 10 + count; // older scenarios lie further back, spread over distinct days
			switch (kind) {
				case 'submitted':
					submit(hoursAgo(2 + j * 5));
					break;
				case 'submitted_overdue':
					submit(day(6 + j * 3, '10:15'));
					break;
				case 'approved_today':
					submit(day(2 + j, '09:40'));
					approve(day(1, `1${j + 4}:00`), today);
					break;
				case 'approved_upcoming':
					submit(day(1 + (j % 2), '09:20'));
					approve(hoursAgo(1 + j * 0.2), addDays(today, 1 + j));
					break;
				case 'reopened':
					submit(day(12, '10:00'));
					approve(day(11, '15:00'), addDays(today, -9));
					outcome(addDays(today, -9), 'not_home');
					steps.push({ at: day(8, '09:30'), run: () => reopenRequest(tx, head, ref.id, { ...slot(community.outletId, addDays(today, 2)), reason: '与家属约定新的时间' }, day(8, '09:30')) });
					break;
				case 'rejected':
					submit(day(7 + j, '11:00'));
					steps.push({ at: day(6 + j, '09:00'), run: () => rejectRequest(tx, head, ref.id, { reason: REJECT_REASONS[j % 2] }, day(6 + j, '09:00')) });
					break;
				case 'cancelled_by_worker':
					submit(day(3, '10:00'));
					steps.push({ at: day(2, '14:00'), run: () => cancelRequest(tx, worker, ref.id, { reason: '家属已陪同老人到网点办理' }, day(2, '14:00')) });
					break;
				case 'cancelled_by_head':
					submit(day(8, '10:00'));
					approve(day(7, '10:00'), addDays(today, -5));
					steps.push({ at: day(6, '10:00'), run: () => cancelRequest(tx, head, ref.id, { reason: '老人已转院，暂停上门' }, day(6, '10:00')) });
					break;
				default: {
					const processed = kind.startsWith('processed_');
					const result = (processed ? kind.slice('processed_'.length) : kind) as VisitOutcome;
					submit(day(D, '10:00'));
					approve(day(D - 1, '10:00'), addDays(today, -(D - 3)));
					outcome(addDays(today, -(D - 3)), result);
					if (processed) steps.push({ at: day(D - 4, '10:00'), run: () => markProcessed(tx, head, ref.id, { note: '网点已办结' }, day(D - 4, '10:00')) });
				}
			}
			count++;
		}
	}

	// Stable sort: steps at the same instant keep their order (submit before approve).
	steps.sort((a, b) => a.at.getTime() - b.at.getTime());
	for (const step of steps) await step.run();
	return count;
}
