import type { Db } from '$lib/server/repos/common';
import type { RateRule } from './rate-limit';
import { SharedRateLimiter } from './shared-rate-limit';

/*
 * Which events are rate-limited, how much, and the limiters. The buckets live in the database
 * (shared-rate-limit.ts), so every server process on one database counts towards one total.
 *
 * - Sign-in: FAILED attempts per client IP and per username (also unknown ones, which have no
 *   account lockout). An attempt takes a token from both buckets before the password is checked
 *   and a successful sign-in gives them back, so a branch behind one NAT address can start its
 *   day while concurrent guesses on several processes cannot pass the limit together.
 * - Photo uploads (PUT /api/photos/…) and sync pushes, per signed-in user.
 */

export interface RateLimitConfig {
	loginFailuresPerIp: RateRule;
	loginFailuresPerUsername: RateRule;
	uploadsPerUser: RateRule;
	syncPushesPerUser: RateRule;
}

function perMinute(value: string | undefined, fallback: number): RateRule {
	const n = Number.parseInt(value ?? '', 10);
	const rate = Number.isFinite(n) && n > 0 ? n : fallback;
	// A minute's worth may come at once (a tablet flushing its queue after a day offline).
	return { capacity: rate, perMinute: rate };
}

export function readRateLimits(env: Record<string, string | undefined>): RateLimitConfig {
	return {
		loginFailuresPerIp: perMinute(env.RATE_LOGIN_PER_MINUTE, 10),
		loginFailuresPerUsername: perMinute(env.RATE_LOGIN_PER_MINUTE, 10),
		uploadsPerUser: perMinute(env.RATE_UPLOADS_PER_MINUTE, 120),
		syncPushesPerUser: perMinute(env.RATE_SYNC_PER_MINUTE, 120)
	};
}

export interface Limiters {
	loginIp: SharedRateLimiter;
	loginUsername: SharedRateLimiter;
	uploads: SharedRateLimiter;
	syncPushes: SharedRateLimiter;
}

export function createLimiters(db: Db, config: RateLimitConfig): Limiters {
	return {
		loginIp: new SharedRateLimiter(db, 'login_ip', config.loginFailuresPerIp),
		loginUsername: new SharedRateLimiter(db, 'login_name', config.loginFailuresPerUsername),
		uploads: new SharedRateLimiter(db, 'upload', config.uploadsPerUser),
		syncPushes: new SharedRateLimiter(db, 'push', config.syncPushesPerUser)
	};
}

/** Which per-user write limit a request falls under, or null. */
export function writeLimitOf(method: string, pathname: string): 'uploads' | 'syncPushes' | null {
	if (method === 'PUT' && pathname.startsWith('/api/photos/')) return 'uploads';
	if (method === 'POST' && pathname === '/api/sync/push') return 'syncPushes';
	return null;
}

/**
 * Takes a sign-in attempt from the address's and the username's buckets: seconds to wait (and
 * nothing taken) when either is empty, else null. Give it back with `releaseLoginAttempt` when
 * the sign-in succeeds.
 */
export async function reserveLoginAttempt(limiters: Limiters, ip: string, username: string, nowMs: number): Promise<number | null> {
	const byIp = await limiters.loginIp.take(ip, nowMs);
	if (!byIp.ok) return byIp.retryAfterSeconds;
	const byName = await limiters.loginUsername.take(username, nowMs);
	if (byName.ok) return null;
	await limiters.loginIp.refund(ip, nowMs);
	return byName.retryAfterSeconds;
}

/** A successful sign-in does not count against the limits. */
export async function releaseLoginAttempt(limiters: Limiters, ip: string, username: string, nowMs: number): Promise<void> {
	await limiters.loginIp.refund(ip, nowMs);
	await limiters.loginUsername.refund(username, nowMs);
}
