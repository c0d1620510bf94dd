import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { LOCK_IDLE_MINUTES } from '$lib/domain/lock-policy';
import { lockPolicySchema } from '$lib/domain/schemas-admin';
import { CHECK_IN_DISTANCE } from '$lib/domain/check-in';
import { fieldErrors } from '$lib/domain/schemas';
import { verifyAuditChains } from '$lib/server/audit-chain/store';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { readLockIdleMinutes, setLockIdleMinutes } from '$lib/server/security/lock-policy';
import { pullChanges } from '$lib/server/sync/pull';
import { seedDemo, sessionUserOf } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * The administrator's idle-lock time for the field app (issue 6): validated, stored with its
 * audit entry in the chain, and sent to the tablets with every pull.
 */
describe.each(DIALECTS)('field-app lock policy on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	it('defaults to 5 minutes, is set by the admin with an audit entry, and reaches the pull', async () => {
		const admin = await sessionUserOf(t.db, 'admin');
		const staff = await sessionUserOf(t.db, 'staff1');
		expect(await readLockIdleMinutes(t.db)).toBe(LOCK_IDLE_MINUTES.default);
		expect((await pullChanges(t.db, staff, null)).policy).toEqual({ lockIdleMinutes: 5, checkInMaxDistanceM: CHECK_IN_DISTANCE.default });

		expect(await setLockIdleMinutes(t.db, admin, 2)).toBe(true);
		expect(await setLockIdleMinutes(t.db, admin, 2)).toBe(false); // no change, no entry
		expect(await readLockIdleMinutes(t.db)).toBe(2);
		expect((await pullChanges(t.db, staff, null)).policy).toEqual({ lockIdleMinutes: 2, checkInMaxDistanceM: CHECK_IN_DISTANCE.default });
		const entries = await listAuditForEntity(t.db, 'settings', 'field_lock_idle_minutes');
		expect(entries.map((e) => [e.action, e.actorId])).toEqual([['lock_policy_set', admin.id]]);
		expect(entries[0].details).toEqual({ before: 5, after: 2 });
		expect((await verifyAuditChains(t.db)).ok).toBe(true);
		await setLockIdleMinutes(t.db, admin, 5);
	});

	it('refuses what is not a whole number of minutes from 1 to 30, with a message code', () => {
		for (const bad of ['0', '31', '2.5', 'abc', '', '-1']) {
			const parsed = v.safeParse(lockPolicySchema, { lockIdleMinutes: bad });
			expect(parsed.success, bad).toBe(false);
			if (!parsed.success) expect(fieldErrors(parsed.issues).lockIdleMinutes, bad).toMatch(/^err_/);
		}
		expect(v.parse(lockPolicySchema, { lockIdleMinutes: '10' })).toEqual({ lockIdleMinutes: 10 });
	});
});
