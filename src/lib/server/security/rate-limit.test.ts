import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter (token bucket)', () => {
	it('allows the burst, then refuses with the seconds until the next token', () => {
		const limiter = new RateLimiter({ capacity: 3, perMinute: 6 });
		const t = 1_000_000;
		expect([1, 2, 3].map(() => limiter.take('ip', t).ok)).toEqual([true, true, true]);
		expect(limiter.take('ip', t)).toEqual({ ok: false, retryAfterSeconds: 10 });
		expect(limiter.take('ip', t + 5_000)).toEqual({ ok: false, retryAfterSeconds: 5 });
		expect(limiter.take('ip', t + 10_000)).toEqual({ ok: true, remaining: 0 });
		expect(limiter.take('other', t).ok).toBe(true); // keys are independent
	});

	it('refills at the sustained rate and never above the capacity', () => {
		const limiter = new RateLimiter({ capacity: 2, perMinute: 60 });
		limiter.take('k', 0);
		limiter.take('k', 0);
		expect(limiter.check('k', 0).ok).toBe(false);
		expect(limiter.check('k', 1_000)).toEqual({ ok: true, remaining: 1 });
		expect(limiter.check('k', 3_600_000)).toEqual({ ok: true, remaining: 2 });
	});

	it('check takes nothing: a refused take does not dig deeper', () => {
		const limiter = new RateLimiter({ capacity: 1, perMinute: 1 });
		expect(limiter.check('k', 0).ok).toBe(true);
		expect(limiter.check('k', 0).ok).toBe(true);
		limiter.take('k', 0);
		for (let i = 0; i < 5; i++) expect(limiter.take('k', 0).ok).toBe(false);
		expect(limiter.take('k', 60_000).ok).toBe(true);
	});

	it('keeps memory bounded: full buckets are dropped first, then the oldest', () => {
		const limiter = new RateLimiter({ capacity: 5, perMinute: 60 }, 100);
		for (let i = 0; i < 500; i++) limiter.take(`ip${i}`, i);
		expect(limiter.size).toBeLessThanOrEqual(101);
		// Even when no bucket is full (a flood of distinct keys), the oldest ones go.
		const busy = new RateLimiter({ capacity: 1, perMinute: 1 }, 10);
		busy.take('attacker', 0);
		for (let i = 0; i < 50; i++) busy.take(`x${i}`, 0);
		expect(busy.size).toBeLessThanOrEqual(11);
	});
});
