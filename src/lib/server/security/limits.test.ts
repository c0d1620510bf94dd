import { describe, expect, it } from 'vitest';
import { readRateLimits, writeLimitOf } from './limits';

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
});
