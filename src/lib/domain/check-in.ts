/*
 * The check-in's distance rule (issue 13): a check-in further from the resident's pin than the
 * branch's distance (CHECKIN_MAX_DISTANCE_M, sent to the tablet with every pull) is recorded
 * only with the team's reason, which the outlet head sees with the visit's record. Pure.
 */

export const CHECK_IN_DISTANCE = { default: 300, min: 10, max: 100_000 } as const;
/** Characters of the reason. */
export const FAR_REASON_MAX = 200;

/** The distance in force: a value from the server or the store, else the default. */
export function checkInDistanceOf(value: unknown): number {
	return typeof value === 'number' && Number.isInteger(value) && value >= CHECK_IN_DISTANCE.min && value <= CHECK_IN_DISTANCE.max ? value : CHECK_IN_DISTANCE.default;
}

/** Whether a check-in `distanceM` from the pin needs a reason (no pin: nothing to compare). */
export function needsFarReason(distanceM: number | null, maxM: number): boolean {
	return distanceM !== null && distanceM > maxM;
}
