import type { Role } from '$lib/domain/roles';
import type { SessionUser } from '$lib/server/auth/types';
import { isoNow, type Db } from './common';

export interface Session {
	/** SHA-256 (hex) of the cookie token; the token itself is never stored. */
	id: string;
	userId: string;
	createdAt: string;
	expiresAt: string;
	lastSeenAt: string;
	/** When this token was replaced by a newer one (it then lives only for a short grace). */
	rotatedAt: string | null;
}

export interface NewSession {
	id: string;
	userId: string;
	expiresAt: Date | string;
}

const iso = (value: Date | string): string => (typeof value === 'string' ? value : isoNow(value));

export async function createSession(db: Db, input: NewSession, now: Date = new Date()): Promise<Session> {
	const session: Session = {
		id: input.id,
		userId: input.userId,
		createdAt: isoNow(now),
		expiresAt: iso(input.expiresAt),
		lastSeenAt: isoNow(now),
		rotatedAt: null
	};
	await db
		.insertInto('sessions')
		.values({
			id: session.id,
			user_id: session.userId,
			created_at: session.createdAt,
			expires_at: session.expiresAt,
			last_seen_at: session.lastSeenAt
		})
		.execute();
	return session;
}

/**
 * The live session and its user, or null when the session is unknown, expired, or its user is
 * deactivated. Expiry is checked here so no caller can forget it.
 */
export async function getSessionWithUser(
	db: Db,
	id: string,
	now: Date = new Date()
): Promise<{ session: Session; user: SessionUser } | null> {
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id as id',
			'sessions.user_id as userId',
			'sessions.created_at as createdAt',
			'sessions.expires_at as expiresAt',
			'sessions.last_seen_at as lastSeenAt',
			'sessions.rotated_at as rotatedAt',
			'users.username',
			'users.display_name as displayName',
			'users.role',
			'users.outlet_id as outletId',
			'users.community_id as communityId'
		])
		.where('sessions.id', '=', id)
		.where('sessions.expires_at', '>', isoNow(now))
		.where('users.active', '=', 1)
		.executeTakeFirst();
	if (!row) return null;
	return {
		session: {
			id: row.id,
			userId: row.userId,
			createdAt: row.createdAt,
			expiresAt: row.expiresAt,
			lastSeenAt: row.lastSeenAt,
			rotatedAt: row.rotatedAt
		},
		user: {
			id: row.userId,
			username: row.username,
			displayName: row.displayName,
			role: row.role as Role,
			outletId: row.outletId,
			communityId: row.communityId
		}
	};
}

/** Records activity; pass `expiresAt` to slide the expiry forward. */
export async function touchSession(
	db: Db,
	id: string,
	opts: { now?: Date; expiresAt?: Date | string } = {}
): Promise<void> {
	await db
		.updateTable('sessions')
		.set({
			last_seen_at: isoNow(opts.now),
			expires_at: opts.expiresAt === undefined ? undefined : iso(opts.expiresAt)
		})
		.where('id', '=', id)
		.execute();
}

/**
 * Replaces a session's token: the new row keeps the user and the absolute expiry (rotation never
 * lengthens a session); the old row is marked rotated and cut to `graceEnd`, so requests already
 * in flight with the old cookie still pass. Atomic and once only: of two concurrent rotations
 * of the same row, one wins (`rotated_at IS NULL` guard) and the other returns false.
 */
export async function rotateSession(db: Db, old: Session, newId: string, graceEnd: Date, now: Date = new Date()): Promise<boolean> {
	const run = async (trx: Db): Promise<boolean> => {
		const cut = isoNow(graceEnd) < old.expiresAt ? isoNow(graceEnd) : old.expiresAt;
		const marked = await trx
			.updateTable('sessions')
			.set({ rotated_at: isoNow(now), expires_at: cut })
			.where('id', '=', old.id)
			.where('rotated_at', 'is', null)
			.executeTakeFirst();
		if (marked.numUpdatedRows === 0n) return false;
		await trx
			.insertInto('sessions')
			.values({ id: newId, user_id: old.userId, created_at: isoNow(now), expires_at: old.expiresAt, last_seen_at: isoNow(now) })
			.execute();
		return true;
	};
	return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export async function deleteSession(db: Db, id: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Removes every expired session; returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
	const result = await db.deleteFrom('sessions').where('expires_at', '<=', isoNow(now)).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Signs a user out everywhere; returns how many sessions ended. */
export async function deleteSessionsForUser(db: Db, userId: string): Promise<number> {
	const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
	return Number(result.numDeletedRows);
}
