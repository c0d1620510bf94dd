/*
 * Token buckets in memory, one per key (an IP address, a user id, a username). Pure: the clock
 * is passed in, so tests need no timers. A bucket holds at most `capacity` tokens and gains
 * `perMinute` tokens a minute; each counted event takes one.
 *
 * The buckets live in this server process. Several server processes (a cluster, several
 * machines behind a load balancer) each count on their own, so an attacker gets the limit once
 * per process: put the counters in a shared store (Redis, or a table) before scaling out.
 */

export interface RateRule {
	/** Tokens a full bucket holds: the burst allowed at once. */
	capacity: number;
	/** Tokens regained per minute: the sustained rate. */
	perMinute: number;
}

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

interface Bucket {
	tokens: number;
	at: number;
}

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		readonly rule: RateRule,
		/** Above this many keys, full buckets are dropped (they hold no information). */
		private readonly maxKeys = 10_000
	) {}

	private refill(key: string, nowMs: number): Bucket {
		const { capacity, perMinute } = this.rule;
		const bucket = this.buckets.get(key);
		if (!bucket) return { tokens: capacity, at: nowMs };
		const gained = (Math.max(0, nowMs - bucket.at) / 60_000) * perMinute;
		return { tokens: Math.min(capacity, bucket.tokens + gained), at: nowMs };
	}

	private retryAfter(bucket: Bucket): number {
		return Math.max(1, Math.ceil(((1 - bucket.tokens) / this.rule.perMinute) * 60));
	}

	/** Would an event pass now? Takes nothing (for "count only failures" rules). */
	check(key: string, nowMs: number): RateDecision {
		const bucket = this.refill(key, nowMs);
		return bucket.tokens >= 1 ? { ok: true, remaining: Math.floor(bucket.tokens) } : { ok: false, retryAfterSeconds: this.retryAfter(bucket) };
	}

	/** Counts one event: takes a token if there is one; refused (and nothing taken) otherwise. */
	take(key: string, nowMs: number): RateDecision {
		const bucket = this.refill(key, nowMs);
		if (bucket.tokens < 1) {
			this.buckets.set(key, bucket);
			return { ok: false, retryAfterSeconds: this.retryAfter(bucket) };
		}
		bucket.tokens -= 1;
		this.buckets.set(key, bucket);
		this.prune(nowMs);
		return { ok: true, remaining: Math.floor(bucket.tokens) };
	}

	/** Keys currently tracked (tests, monitoring). */
	get size(): number {
		return this.buckets.size;
	}

	private prune(nowMs: number): void {
		if (this.buckets.size <= this.maxKeys) return;
		for (const [key] of this.buckets) {
			if (this.refill(key, nowMs).tokens >= this.rule.capacity) this.buckets.delete(key);
		}
		// Still too many (a flood of distinct keys): forget the oldest, which Map keeps first.
		for (const [key] of this.buckets) {
			if (this.buckets.size <= this.maxKeys) break;
			this.buckets.delete(key);
		}
	}
}
