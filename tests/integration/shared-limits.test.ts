import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '$lib/server/db';
import { attemptLogin } from '$lib/server/auth/login';
import { createLimiters, readRateLimits, releaseLoginAttempt, reserveLoginAttempt } from '$lib/server/security/limits';
import { pruneRateLimits } from '$lib/server/security/shared-rate-limit';
import { seedDemo } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * Issue 12: rate limits and lockouts hold in total across server processes. Two database handles
 * on the same database (two connection pools on PostgreSQL, two connections to the file on
 * SQLite) stand for two processes; hits come concurrently, alternating between them.
 */
describe.each(DIALECTS)('shared rate limits on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	let second: Kysely<Database>;
	beforeAll(async () => {
		second = await openDatabase(t.options);
	});
	afterAll(async () => {
		await second?.destroy();
	});

	it('sync pushes: 40 concurrent hits on two handles pass exactly the limit of 12', async () => {
		const config = readRateLimits({ RATE_SYNC_PER_MINUTE: '12' });
		const [a, b] = [createLimiters(t.db, config), createLimiters(second, config)];
		const now = 1_000_000;
		const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).syncPushes.take('user-1', now)));
		expect(decisions.filter((d) => d.ok)).toHaveLength(12);
		const refused = decisions.filter((d) => !d.ok);
		expect(refused).toHaveLength(28);
		// 12 a minute: one token every 5 s.
		expect(refused.every((d) => !d.ok && d.retryAfterSeconds === 5)).toBe(true);
		// Another user has their own bucket; after 5 s one more push passes, on either handle.
		expect((await b.syncPushes.take('user-2', now)).ok).toBe(true);
		expect((await a.syncPushes.take('user-1', now + 5_000)).ok).toBe(true);
		expect((await b.syncPushes.take('user-1', now + 5_000)).ok).toBe(false);
		// No address or name in the table: keys are hashed.
		const keys = (await t.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
		expect(keys.some((k) => k.includes('user-1'))).toBe(false);
	});

	it('sign-in: concurrent failures on two handles are capped in total; a success gives its token back', async () => {
		const config = readRateLimits({ RATE_LOGIN_PER_MINUTE: '5' });
		const [a, b] = [createLimiters(t.db, config), createLimiters(second, config)];
		const now = 2_000_000;
		const waits = await Promise.all(Array.from({ length: 16 }, (_, i) => reserveLoginAttempt(i % 2 ? a : b, '10.0.0.9', `guess${i}`, now)));
		expect(waits.filter((w) => w === null)).toHaveLength(5);
		expect(waits.filter((w) => w === 12)).toHaveLength(11); // 5 a minute: 12 s to the next
		// Per username too, whatever the address.
		const byName = await Promise.all(Array.from({ length: 8 }, (_, i) => reserveLoginAttempt(i % 2 ? a : b, `10.1.0.${i}`, 'staff1', now)));
		expect(byName.filter((w) => w === null)).toHaveLength(5);
		// A successful sign-in does not count: released, the slot is free again.
		await releaseLoginAttempt(a, '10.1.0.0', 'staff1', now);
		expect(await reserveLoginAttempt(b, '10.2.0.1', 'staff1', now)).toBeNull();
		expect(await reserveLoginAttempt(b, '10.2.0.2', 'staff1', now)).toBe(12);
		// The refused name did not use up the new address's token either.
		expect((await a.loginIp.check('10.2.0.2', now)).ok).toBe(true);
	});

	it('the account lockout counts wrong passwords from both handles', async () => {
		const policy = { maxFailures: 5, lockMinutes: 15 };
		const results = [];
		for (let i = 0; i < 5; i++) results.push(await attemptLogin(i % 2 ? t.db : second, 'staff2', 'wrong-password', policy));
		expect(results.slice(0, 4).every((r) => !r.ok && r.code === 'err_login_invalid')).toBe(true);
		expect(results[4]).toEqual({ ok: false, code: 'err_login_locked', minutes: 15 });
		// Locked on both, even with the right password.
		expect(await attemptLogin(t.db, 'staff2', 'Doorstep-2026', policy)).toMatchObject({ ok: false, code: 'err_login_locked' });
		expect(await attemptLogin(second, 'staff2', 'Doorstep-2026', policy)).toMatchObject({ ok: false, code: 'err_login_locked' });
	});

	it('forgets buckets untouched for an hour', async () => {
		const before = (await t.db.selectFrom('rate_limits').select('key').execute()).length;
		expect(before).toBeGreaterThan(0);
		expect(await pruneRateLimits(t.db, 2_000_000 + 60 * 60_000 + 1)).toBe(before);
		expect(await t.db.selectFrom('rate_limits').select('key').execute()).toEqual([]);
	});
});
