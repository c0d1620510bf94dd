import { describe, expect, it } from 'vitest';
import { createLimiters, loginWait, noteLoginFailure, readRateLimits, writeLimitOf } from './limits';

describe('rate limit policy', () => {
	it('reads the rates from the environment with defaults', () => {
		expect(readRateLimits({})).toEqual({
			loginFailuresPerIp: { capacity: 10, perMinute: 10 },
			loginFailuresPerUsername: { capacity: 10, perMinute: 10 },
			uploadsPerUser: { capacity: 120, perMinute: 120 },
			syncPushesPerUser: { capacity: 120, perMinute: 120 }
		});
		expect(readRateLimits({ RATE_UPLOADS_PER_MINUTE: '30', RATE_SYNC_PER_MINUTE: 'x' }).uploadsPerUser.perMinute).toBe(30);
		expect(readRateLimits({ RATE_SYNC_PER_MINUTE: '-3' }).syncPushesPerUser.perMinute).toBe(120);
	});

	it('picks the per-user write limit by method and path', () => {
		expect(writeLimitOf('PUT', '/api/photos/0b0c')).toBe('uploads');
		expect(writeLimitOf('GET', '/api/photos/0b0c')).toBeNull();
		expect(writeLimitOf('POST', '/api/sync/push')).toBe('syncPushes');
		expect(writeLimitOf('POST', '/api/sync/pull')).toBeNull();
	});

	it('sign-in: only failures count, per IP and per username', () => {
		const limiters = createLimiters(readRateLimits({ RATE_LOGIN_PER_MINUTE: '3' }));
		const t = 0;
		for (let i = 0; i < 3; i++) {
			expect(loginWait(limiters, '10.0.0.1', `guess${i}`, t)).toBeNull();
			noteLoginFailure(limiters, '10.0.0.1', `guess${i}`, t);
		}
		expect(loginWait(limiters, '10.0.0.1', 'staff1', t)).toBe(20); // this IP, any name
		expect(loginWait(limiters, '10.0.0.2', 'staff1', t)).toBeNull(); // another IP
		for (let i = 0; i < 3; i++) noteLoginFailure(limiters, `10.1.0.${i}`, 'staff1', t);
		expect(loginWait(limiters, '10.0.0.2', 'staff1', t)).toBe(20); // this name, any IP
		expect(loginWait(limiters, '10.0.0.1', 'guess0', t + 20_000)).toBeNull();
	});
});
