/*
 * The idle-lock time of the field app (issue 6): read by every sync pull (so tablets learn a
 * change at their next sync) and set by the administrator, in one transaction with its audit
 * entry (branch-wide: the audit chain without an outlet).
 */
import { LOCK_IDLE_MINUTES, lockIdleMinutesOf } from '$lib/domain/lock-policy';
import { recordAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';

const KEY = 'field_lock_idle_minutes';

export async function readLockIdleMinutes(db: Db): Promise<number> {
	const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
	return row ? lockIdleMinutesOf(row.value) : LOCK_IDLE_MINUTES.default;
}

/** Sets the minutes (validated by the caller's schema); returns whether anything changed. */
export async function setLockIdleMinutes(db: Db, actor: SessionUser, minutes: number, now: Date = new Date()): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const before = await readLockIdleMinutes(trx);
		if (before === minutes) return false;
		const at = now.toISOString();
		await trx
			.insertInto('settings')
			.values({ key: KEY, value: String(minutes), updated_at: at, updated_by: actor.id })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: String(minutes), updated_at: at, updated_by: actor.id }))
			.execute();
		await recordAudit(trx, { actorId: actor.id, action: 'lock_policy_set', entity: 'settings', entityId: KEY, outletId: null, details: { before, after: minutes }, at: now });
		return true;
	});
}
