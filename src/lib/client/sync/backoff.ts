/**
 * Retry delays: exponential, capped, with "equal jitter" (half fixed, half random) so that
 * tablets coming back online together do not hit the server in step, yet none retries at once.
 * Pure: `random` is injected (Math.random in the app, a fixed sequence in tests).
 */
export interface BackoffOptions {
	baseMs: number;
	maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, maxMs: 5 * 60_000 };

/** Delay before retry number `failures` (1 = after the first failure). */
export function backoffDelay(failures: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
	const exponent = Math.max(0, Math.min(failures - 1, 30));
	const capped = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
	const r = Math.min(Math.max(random(), 0), 1);
	return Math.round(capped / 2 + r * (capped / 2));
}
