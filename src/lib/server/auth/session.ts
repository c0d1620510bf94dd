import { createHash, randomBytes } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { config } from '$lib/server/config';
import { createSession, deleteSession, deleteSessionsForUser, getSessionWithUser, touchSession } from '$lib/server/repos/sessions';

export const SESSION_COOKIE = 'doorstep_session';

/** The database keeps only a hash of the token: a copied table cannot be used to sign in. */
function tokenHash(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

function cookieOptions(event: RequestEvent, expires: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: event.url.protocol === 'https:',
		expires
	};
}

export async function startSession(event: RequestEvent, userId: string): Promise<void> {
	const db = await getDb();
	const token = randomBytes(32).toString('base64url');
	const expires = new Date(Date.now() + config().sessionHours * 3_600_000);
	await createSession(db, { id: tokenHash(token), userId, expiresAt: expires });
	event.cookies.set(SESSION_COOKIE, token, cookieOptions(event, expires));
}

/** Reads the cookie into `locals.user`; expired sessions and inactive accounts count as signed out. */
export async function loadSession(event: RequestEvent): Promise<void> {
	event.locals.user = null;
	event.locals.sessionId = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return;
	const db = await getDb();
	const found = await getSessionWithUser(db, tokenHash(token));
	if (!found) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		return;
	}
	// Note activity at most once a minute: a write per request would serialise SQLite for nothing.
	if (Date.now() - Date.parse(found.session.lastSeenAt) > 60_000) await touchSession(db, found.session.id);
	event.locals.user = found.user;
	event.locals.sessionId = found.session.id;
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
