/*
 * The field app's idle lock (issue 6): the administrator sets after how many minutes without a
 * touch an unlocked tablet locks itself; tablets learn it at their next sync and keep the last
 * value they got for offline starts. Shared by the admin form, the server and the tablet.
 */
// No schema here (it is in ./schemas-admin.ts): the tablet imports this module, and a
// top-level valibot call would bring the library into the field app's first load.

export const LOCK_IDLE_MINUTES = { min: 1, max: 30, default: 5 } as const;

/** The stored value, or the default when it is missing or out of range (never trust storage). */
export function lockIdleMinutesOf(value: unknown): number {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= LOCK_IDLE_MINUTES.min && n <= LOCK_IDLE_MINUTES.max ? n : LOCK_IDLE_MINUTES.default;
}
