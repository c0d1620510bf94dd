import { describe, expect, it } from 'vitest';
import { loadSessionFrom, ROTATION_GRACE_MS, SESSION_COOKIE, shouldRotate, startSessionIn, type SessionEvent } from '$lib/server/auth/session';
import { deactivateUser, getUserByUsername, reactivateUser } from '$lib/server/repos/users';
import { seedDemo } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

const HOUR = 3_600_000;

/** A browser's cookie jar for one request: what it sends, and what the response sets. */
function stubEvent(cookie: string | null): SessionEvent & { setCookie: string | null | undefined } {
	const event = {
		setCookie: undefined as string | null | undefined,
		url: new URL('http://127.0.0.1/field'),
		locals: { user: null, sessionId: null },
		cookies: {
			get: (name: string) => (name === SESSION_COOKIE ? (cookie ?? undefined) : undefined),
			set: (name: string, value: string) => {
				if (name === SESSION_COOKIE) event.setCookie = value;
			},
			delete: (name: string) => {
				if (name === SESSION_COOKIE) event.setCookie = null;
			}
		}
	};
	return event as never;
}

describe('shouldRotate', () => {
	const created = '2026-01-01T00:00:00.000Z';
	it('after half the lifetime, once', () => {
		expect(shouldRotate({ createdAt: created, rotatedAt: null }, new Date(Date.parse(created) + 6 * HOUR - 1), 12 * HOUR)).toBe(false);
		expect(shouldRotate({ createdAt: created, rotatedAt: null }, new Date(Date.parse(created) + 6 * HOUR), 12 * HOUR)).toBe(true);
		expect(shouldRotate({ createdAt: created, rotatedAt: created }, new Date(Date.parse(created) + 7 * HOUR), 12 * HOUR)).toBe(false);
	});
});

describe.each(DIALECTS)('sessions on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	async function signIn(username: string, presented: string | null, now: Date) {
		const user = (await getUserByUsername(t.db, username))!;
		const event = stubEvent(presented);
		await startSessionIn(t.db, event, user.id, now);
		expect(event.setCookie).toMatch(/^[\w-]{43}$/);
		return { user, token: event.setCookie! };
	}

	async function load(token: string, now: Date) {
		const event = stubEvent(token);
		await loadSessionFrom(t.db, event, now);
		return { user: event.locals.user, setCookie: event.setCookie };
	}

	it('sign-in issues a new token and ends the session the browser presented', async () => {
		const now = new Date();
		const first = await signIn('staff1', null, now);
		expect((await load(first.token, now)).user?.username).toBe('staff1');
		const second = await signIn('staff2', first.token, now);
		expect(second.token).not.toBe(first.token);
		expect((await load(first.token, now)).user).toBeNull();
		expect((await load(second.token, now)).user?.username).toBe('staff2');
	});

	it('rotates after half the lifetime: new token, same absolute expiry, old token only for the grace', async () => {
		const t0 = new Date();
		const { token: old } = await signIn('staff3', null, t0);
		expect((await load(old, new Date(t0.getTime() + 5 * HOUR))).setCookie).toBeUndefined();

		const t1 = new Date(t0.getTime() + 7 * HOUR);
		const rotated = await load(old, t1);
		expect(rotated.user?.username).toBe('staff3');
		const fresh = rotated.setCookie!;
		expect(fresh).toMatch(/^[\w-]{43}$/);
		expect(fresh).not.toBe(old);

		// In flight with the old cookie: still signed in, no second rotation.
		const late = await load(old, new Date(t1.getTime() + ROTATION_GRACE_MS - 1000));
		expect(late).toEqual({ user: expect.objectContaining({ username: 'staff3' }), setCookie: undefined });
		// After the grace the old token is dead and its cookie is cleared.
		expect(await load(old, new Date(t1.getTime() + ROTATION_GRACE_MS + 1000))).toEqual({ user: null, setCookie: null });
		// The new one works and is not rotated again; it still ends 12 h after sign-in.
		expect(await load(fresh, new Date(t1.getTime() + HOUR))).toEqual({ user: expect.objectContaining({ username: 'staff3' }), setCookie: undefined });
		expect((await load(fresh, new Date(t0.getTime() + 12 * HOUR + 1000))).user).toBeNull();
	});

	it('concurrent requests with the same old cookie: exactly one rotation, all signed in', async () => {
		const t0 = new Date();
		const { token: old } = await signIn('staff4', null, t0);
		const at = new Date(t0.getTime() + 8 * HOUR);
		const results = await Promise.all(Array.from({ length: 6 }, () => load(old, at)));
		expect(results.every((r) => r.user?.username === 'staff4')).toBe(true);
		expect(results.filter((r) => typeof r.setCookie === 'string')).toHaveLength(1);
		const rows = await t.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select(['sessions.rotated_at']).where('users.username', '=', 'staff4').execute();
		expect(rows).toHaveLength(2);
	});

	it('deactivating the user ends every session; reactivating does not bring them back', async () => {
		const now = new Date();
		const { user, token } = await signIn('staff5', null, now);
		await deactivateUser(t.db, user.id);
		expect((await load(token, now)).user).toBeNull();
		await reactivateUser(t.db, user.id);
		expect((await load(token, now)).user).toBeNull();
	});
});
