import type { Break, Job, LatLng, TimeWindow, Vehicle } from '$lib/routing';

/*
 * The working day as the optimiser sees it: seconds since local (Asia/Shanghai) midnight, so a
 * visit's `HH:MM` window maps straight onto the optimiser's time windows. Shared by slot
 * suggestions and the dispatch board, so both plan with the same rules.
 */

export const WORK_START = '08:30';
export const WORK_END = '17:30';
/** The team's 60-minute lunch lies between 11:30 and 13:30, so it starts by 12:30. */
const LUNCH = { earliest: '11:30', latest: '13:30', minutes: 60 };
/** Length of a suggested arrival window: what the seed data and the heads use. */
export const SLOT_MINUTES = 60;

export function toSeconds(hhmm: string): number {
	const [h, m] = hhmm.split(':').map(Number);
	return h * 3600 + m * 60;
}

export function toClock(seconds: number): string {
	const minutes = Math.round(seconds / 60);
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export const minutes = (seconds: number): number => Math.round(seconds / 60);

/** A stop of a day: a visit (existing or proposed) at a place, with its arrival window. */
export interface Stop {
	id: string;
	location: LatLng;
	/** The booked arrival window (`HH:MM`): service must start inside it. */
	start: string;
	end: string;
	serviceMin: number;
}

/** A two-person team; its key is the vehicle id in the optimiser. */
export interface Team {
	key: string;
	leadStaffId: string;
	secondStaffId: string;
	names: string;
}

export const teamKey = (leadStaffId: string, secondStaffId: string): string => `${leadStaffId}|${secondStaffId}`;

/** Both members of `team` are on `visit` (in either role). */
export function sameTeam(team: Pick<Team, 'leadStaffId' | 'secondStaffId'>, visit: { leadStaffId: string; secondStaffId: string }): boolean {
	const a = [team.leadStaffId, team.secondStaffId].sort().join('|');
	return a === [visit.leadStaffId, visit.secondStaffId].sort().join('|');
}

/**
 * The booked window bounds the *start* of service: the promise to the resident is "the team
 * arrives between start and end", which is also how the double-booking rule reads windows.
 */
export function stopJob(stop: Stop, lock?: Job['lock']): Job {
	const window: TimeWindow = [toSeconds(stop.start), toSeconds(stop.end)];
	return { id: stop.id, location: stop.location, service: stop.serviceMin * 60, timeWindows: [window], lock };
}

const lunchBreak = (): Break => ({
	id: 'lunch',
	timeWindows: [[toSeconds(LUNCH.earliest), toSeconds(LUNCH.latest) - LUNCH.minutes * 60]],
	duration: LUNCH.minutes * 60
});

/** A team leaves the outlet and comes back to it within the working day, with lunch. */
export function teamVehicle(team: Pick<Team, 'key'>, outlet: LatLng): Vehicle {
	return {
		id: team.key,
		start: { location: outlet },
		end: { location: outlet },
		shift: [toSeconds(WORK_START), toSeconds(WORK_END)],
		breaks: [lunchBreak()]
	};
}
