/**
 * Exponential back-off of a failed job (pure): 1 min, 2, 4, 8… after the 1st, 2nd, 3rd… failed
 * attempt, capped at `capMs`, with up to 10 % jitter from `random` so retries of many jobs do
 * not come back at the same second.
 */
export function backoffMs(attempts: number, opts: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
	const base = opts.baseMs ?? 60_000;
	const cap = opts.capMs ?? 6 * 3_600_000;
	const n = Math.max(1, Math.min(Math.floor(attempts), 30));
	const raw = Math.min(cap, base * 2 ** (n - 1));
	const jitter = 1 + 0.1 * (opts.random ?? Math.random)();
	return Math.min(cap, Math.round(raw * jitter));
}
