import type { Role } from '$lib/domain/roles';
import type { UserRow } from '$lib/server/db/schema';
import { fromBool, hasChanges, isoNow, newId, toBool, type Db } from './common';

/** A user as most callers see it: no password hash. */
export interface User {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	outletId: string | null;
	communityId: string | null;
	active: boolean;
	failedLogins: number;
	lockedUntil: string | null;
	createdAt: string;
}

/** Only for the login check and password change: carries the argon2 hash. */
export interface UserWithHash extends User {
	passwordHash: string;
}

export interface NewUser {
	id?: string;
	username: string;
	displayName: string;
	passwordHash: string;
	role: Role;
	outletId?: string | null;
	communityId?: string | null;
	active?: boolean;
}

export type UserPatch = Partial<
	Pick<User, 'username' | 'displayName' | 'role' | 'outletId' | 'communityId' | 'active'>
>;

export interface UserFilter {
	role?: Role;
	outletId?: string;
	communityId?: string;
	activeOnly?: boolean;
}

const PUBLIC_COLUMNS = [
	'id',
	'username',
	'display_name',
	'role',
	'outlet_id',
	'community_id',
	'active',
	'failed_logins',
	'locked_until',
	'created_at'
] as const;

/** Usernames are case-insensitive: stored trimmed and lower-case, looked up the same way. */
export const normaliseUsername = (username: string): string => username.trim().toLowerCase();

function toUser(row: Omit<UserRow, 'password_hash'>): User {
	return {
		id: row.id,
		username: row.username,
		displayName: row.display_name,
		role: row.role as Role,
		outletId: row.outlet_id,
		communityId: row.community_id,
		active: toBool(row.active),
		failedLogins: row.failed_logins,
		lockedUntil: row.locked_until,
		createdAt: row.created_at
	};
}

export async function createUser(db: Db, input: NewUser, now: Date = new Date()): Promise<User> {
	const id = input.id ?? newId();
	await db
		.insertInto('users')
		.values({
			id,
			username: normaliseUsername(input.username),
			display_name: input.displayName,
			password_hash: input.passwordHash,
			role: input.role,
			outlet_id: input.outletId ?? null,
			community_id: input.communityId ?? null,
			active: fromBool(input.active ?? true),
			failed_logins: 0,
			locked_until: null,
			created_at: isoNow(now)
		})
		.execute();
	return (await getUser(db, id))!;
}

export async function getUser(db: Db, id: string): Promise<User | null> {
	const row = await db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
	return row ? toUser(row) : null;
}

export async function getUserByUsername(db: Db, username: string): Promise<User | null> {
	const row = await db
		.selectFrom('users')
		.select(PUBLIC_COLUMNS)
		.where('username', '=', normaliseUsername(username))
		.executeTakeFirst();
	return row ? toUser(row) : null;
}

/** For the login check only: the user with the password hash, or null. */
export async function findUserForLogin(db: Db, username: string): Promise<UserWithHash | null> {
	const row = await db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
	return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function listUsers(db: Db, filter: UserFilter = {}): Promise<User[]> {
	let query = db.selectFrom('users').select(PUBLIC_COLUMNS).orderBy('username');
	if (filter.role) query = query.where('role', '=', filter.role);
	if (filter.outletId) query = query.where('outlet_id', '=', filter.outletId);
	if (filter.communityId) query = query.where('community_id', '=', filter.communityId);
	if (filter.activeOnly) query = query.where('active', '=', 1);
	return (await query.execute()).map(toUser);
}

export async function countUsers(db: Db, filter: { role?: Role } = {}): Promise<number> {
	let query = db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n'));
	if (filter.role) query = query.where('role', '=', filter.role);
	return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Returns false when no user has that id. */
export async function updateUser(db: Db, id: string, patch: UserPatch): Promise<boolean> {
	if (!hasChanges(patch)) return (await getUser(db, id)) !== null;
	const result = await db
		.updateTable('users')
		.set({
			username: patch.username === undefined ? undefined : normaliseUsername(patch.username),
			display_name: patch.displayName,
			role: patch.role,
			outlet_id: patch.outletId,
			community_id: patch.communityId,
			active: patch.active === undefined ? undefined : fromBool(patch.active)
		})
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/**
 * Counts one failed login; at `maxFailures` the account is locked for `lockMinutes` and the
 * counter starts again. The increment is one UPDATE, so parallel attempts cannot lose counts.
 */
export async function recordFailedLogin(
	db: Db,
	userId: string,
	opts: { maxFailures: number; lockMinutes: number; now?: Date }
): Promise<{ failedLogins: number; lockedUntil: string | null }> {
	const row = await db
		.updateTable('users')
		.set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
		.where('id', '=', userId)
		.returning(['failed_logins', 'locked_until'])
		.executeTakeFirst();
	if (!row) return { failedLogins: 0, lockedUntil: null };
	if (row.failed_logins < opts.maxFailures) {
		return { failedLogins: row.failed_logins, lockedUntil: row.locked_until };
	}
	const now = opts.now ?? new Date();
	const lockedUntil = isoNow(new Date(now.getTime() + opts.lockMinutes * 60_000));
	await db
		.updateTable('users')
		.set({ failed_logins: 0, locked_until: lockedUntil })
		.where('id', '=', userId)
		.execute();
	return { failedLogins: row.failed_logins, lockedUntil };
}

/** After a successful login: forget earlier failures and any lock. */
export async function clearFailedLogins(db: Db, userId: string): Promise<void> {
	await db
		.updateTable('users')
		.set({ failed_logins: 0, locked_until: null })
		.where('id', '=', userId)
		.execute();
}

/** True while `lockedUntil` lies in the future. */
export function isLocked(user: Pick<User, 'lockedUntil'>, now: Date = new Date()): boolean {
	return user.lockedUntil !== null && user.lockedUntil > isoNow(now);
}

/** Deactivates the account and ends all its sessions at once (no lingering sign-ins). */
export async function deactivateUser(db: Db, userId: string): Promise<boolean> {
	const result = await db.updateTable('users').set({ active: 0 }).where('id', '=', userId).executeTakeFirst();
	await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
	return result.numUpdatedRows > 0n;
}

export async function reactivateUser(db: Db, userId: string): Promise<boolean> {
	const result = await db.updateTable('users').set({ active: 1 }).where('id', '=', userId).executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** Stores a new argon2 hash (reset or change), unlocks, and signs the user out everywhere. */
export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<boolean> {
	const result = await db
		.updateTable('users')
		.set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
		.where('id', '=', userId)
		.executeTakeFirst();
	await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
	return result.numUpdatedRows > 0n;
}
