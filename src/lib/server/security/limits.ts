import { RateLimiter, type RateRule } from './rate-limit';

/*
 * Which events are rate-limited, how much, and the limiters of this server process (see
 * rate-limit.ts for why several processes would need a shared store).
 *
 * - Sign-in: FAILED attempts per client IP and per username (also unknown ones, which have no
 *   account lockout). Successful sign-ins are not counted, so a branch behind one NAT address
 *   can start its day; guessing is capped on top of the account lockout (LOGIN_MAX_FAILURES).
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
	loginIp: RateLimiter;
	loginUsername: RateLimiter;
	uploads: RateLimiter;
	syncPushes: RateLimiter;
}

export function createLimiters(config: RateLimitConfig): Limiters {
	return {
		loginIp: new RateLimiter(config.loginFailuresPerIp),
		loginUsername: new RateLimiter(config.loginFailuresPerUsername),
		uploads: new RateLimiter(config.uploadsPerUser),
		syncPushes: new RateLimiter(config.syncPushesPerUser)
	};
}

/** Which per-user write limit a request falls under, or null. */
export function writeLimitOf(method: string, pathname: string): 'uploads' | 'syncPushes' | null {
	if (method === 'PUT' && pathname.startsWith('/api/photos/')) return 'uploads';
	if (method === 'POST' && pathname === '/api/sync/push') return 'syncPushes';
	return null;
}

/** Seconds to wait before the next sign-in attempt, or null when one may be tried now. */
export function loginWait(limiters: Limiters, ip: string, username: string, nowMs: number): number | null {
	const byIp = limiters.loginIp.check(ip, nowMs);
	const byName = limiters.loginUsername.check(username, nowMs);
	const waits = [byIp, byName].flatMap((d) => (d.ok ? [] : [d.retryAfterSeconds]));
	return waits.length ? Math.max(...waits) : null;
}

export function noteLoginFailure(limiters: Limiters, ip: string, username: string, nowMs: number): void {
	limiters.loginIp.take(ip, nowMs);
	limiters.loginUsername.take(username, nowMs);
}
