import type { Db } from '$lib/server/repos/common';
import { clearFailedLogins, findUserForLogin, isLocked, recordFailedLogin } from '$lib/server/repos/users';
import { dummyPasswordHash, verifyPassword } from './password';

export type LoginResult =
	| { ok: true; userId: string }
	| { ok: false; code: 'err_login_invalid' }
	| { ok: false; code: 'err_login_locked'; minutes: number };

export interface LoginPolicy {
	maxFailures: number;
	lockMinutes: number;
}

function minutesUntil(iso: string, now: Date): number {
	return Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 60_000));
}

/**
 * Checks a username and password. After `maxFailures` wrong passwords in a row the account is
 * locked for `lockMinutes`; a locked account answers "locked" without checking the password, so
 * guessing goes nowhere. Unknown users cost the same argon2 work as known ones.
 */
export async function attemptLogin(
	db: Db,
	username: string,
	password: string,
	policy: LoginPolicy,
	now = new Date()
): Promise<LoginResult> {
	const user = await findUserForLogin(db, username.trim().toLowerCase());
	if (!user || !user.active) {
		await verifyPassword(await dummyPasswordHash(), password);
		return { ok: false, code: 'err_login_invalid' };
	}
	if (isLocked(user, now)) return { ok: false, code: 'err_login_locked', minutes: minutesUntil(user.lockedUntil!, now) };
	if (await verifyPassword(user.passwordHash, password)) {
		await clearFailedLogins(db, user.id);
		return { ok: true, userId: user.id };
	}
	const after = await recordFailedLogin(db, user.id, { ...policy, now });
	return after.lockedUntil && Date.parse(after.lockedUntil) > now.getTime()
		? { ok: false, code: 'err_login_locked', minutes: minutesUntil(after.lockedUntil, now) }
		: { ok: false, code: 'err_login_invalid' };
}
