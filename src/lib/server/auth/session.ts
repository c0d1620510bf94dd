import { createHash, randomBytes } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/repos/common';
import { createSession, deleteSession, deleteSessionsForUser, getSessionWithUser, rotateSession, touchSession, type Session } from '$lib/server/repos/sessions';

export const SESSION_COOKIE = 'doorstep_session';

/** The database keeps only a hash of the token: a copied table cannot be used to sign in. */
function tokenHash(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

function cookieOptions(event: Pick<RequestEvent, 'url'>, expires: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: event.url.protocol === 'https:',
		expires
	};
}

/** How long a replaced token still works: requests already in flight when it was rotated. */
export const ROTATION_GRACE_MS = 60_000;

/**
 * A session's token is replaced once it has lived half the session lifetime (and only once: the
 * replacement keeps the absolute expiry, so the session still ends `SESSION_HOURS` after sign-in).
 * A token that leaked (a log, a shared tablet's cookie jar) thus stops working within hours.
 */
export function shouldRotate(session: Pick<Session, 'createdAt' | 'rotatedAt'>, now: Date, lifetimeMs: number): boolean {
	return session.rotatedAt === null && now.getTime() - Date.parse(session.createdAt) >= lifetimeMs / 2;
}

const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Signs a user in with a fresh token. A session cookie the browser presented with the sign-in is
 * ended first: whoever knew the old token (session fixation, a previous user of the tablet) does
 * not share the new session.
 */
export async function startSession(event: RequestEvent, userId: string): Promise<void> {
	await startSessionIn(await getDb(), event, userId);
}

/** The event parts the session code touches (a full RequestEvent in the app, a stub in tests). */
export type SessionEvent = Pick<RequestEvent, 'cookies' | 'url' | 'locals'>;

export async function startSessionIn(db: Db, event: SessionEvent, userId: string, now: Date = new Date()): Promise<void> {
	const presented = event.cookies.get(SESSION_COOKIE);
	if (presented) await deleteSession(db, tokenHash(presented));
	event.locals.user = null;
	event.locals.sessionId = null;
	const token = newToken();
	const expires = new Date(now.getTime() + config().sessionHours * 3_600_000);
	await createSession(db, { id: tokenHash(token), userId, expiresAt: expires }, now);
	event.cookies.set(SESSION_COOKIE, token, cookieOptions(event, expires));
}

/** Reads the cookie into `locals.user`; expired sessions and inactive accounts count as signed out. */
export async function loadSession(event: RequestEvent): Promise<void> {
	event.locals.user = null;
	event.locals.sessionId = null;
	if (!event.cookies.get(SESSION_COOKIE)) return;
	await loadSessionFrom(await getDb(), event);
}

export async function loadSessionFrom(db: Db, event: SessionEvent, now: Date = new Date()): Promise<void> {
	event.locals.user = null;
	event.locals.sessionId = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return;
	const found = await getSessionWithUser(db, tokenHash(token), now);
	if (!found) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		return;
	}
	let sessionId = found.session.id;
	if (shouldRotate(found.session, now, config().sessionHours * 3_600_000)) {
		const token = newToken();
		// Of concurrent requests with the same old cookie one rotates; the others go on with the
		// old token (valid for the grace) and the browser keeps the cookie of the winner.
		if (await rotateSession(db, found.session, tokenHash(token), new Date(now.getTime() + ROTATION_GRACE_MS), now)) {
			sessionId = tokenHash(token);
			event.cookies.set(SESSION_COOKIE, token, cookieOptions(event, new Date(found.session.expiresAt)));
		}
	} else if (now.getTime() - Date.parse(found.session.lastSeenAt) > 60_000) {
		// Note activity at most once a minute: a write per request would serialise SQLite for nothing.
		await touchSession(db, found.session.id);
	}
	event.locals.user = found.user;
	event.locals.sessionId = sessionId;
}

export async function endSession(event: RequestEvent): Promise<void> {
	if (event.locals.sessionId) await deleteSession(await getDb(), event.locals.sessionId);
	event.cookies.delete(SESSION_COOKIE, { path: '/' });
	event.locals.user = null;
	event.locals.sessionId = null;
}

/** Signs a user out everywhere (deactivation, password reset by the admin). */
export async function endAllSessionsOf(userId: string): Promise<void> {
	await deleteSessionsForUser(await getDb(), userId);
}
