import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { config } from '$lib/server/config';
import { attemptLogin } from '$lib/server/auth/login';
import { startSession } from '$lib/server/auth/session';
import { homeFor } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { processLimiters } from '$lib/server/security/guards';
import { releaseLoginAttempt, reserveLoginAttempt } from '$lib/server/security/limits';
import { safeNext } from '$lib/domain/safe-next';
import type { Actions, PageServerLoad } from './$types';

const LoginForm = v.object({
	username: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
	password: v.pipe(v.string(), v.minLength(1), v.maxLength(256))
});

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? homeFor(locals.user.role));
};

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const input = { username: typeof form.username === 'string' ? form.username : '', password: typeof form.password === 'string' ? form.password : '' };
		const parsed = v.safeParse(LoginForm, input);
		if (!parsed.success) return fail(400, { username: input.username.slice(0, 64), error: 'err_login_missing', minutes: 0, seconds: 0 });
		// Failed sign-ins per client address and per username, on top of the account lockout.
		const ip = event.getClientAddress();
		const name = parsed.output.username.toLowerCase();
		const limiters = await processLimiters();
		const wait = await reserveLoginAttempt(limiters, ip, name, Date.now());
		if (wait !== null) {
			event.setHeaders({ 'retry-after': String(wait) });
			return fail(429, { username: parsed.output.username, error: 'security_err_rate_limited', minutes: 0, seconds: wait });
		}
		const db = await getDb();
		const { loginMaxFailures, loginLockMinutes } = config();
		const result = await attemptLogin(db, parsed.output.username, parsed.output.password, {
			maxFailures: loginMaxFailures,
			lockMinutes: loginLockMinutes
		});
		if (!result.ok) {
			const minutes = result.code === 'err_login_locked' ? result.minutes : 0;
			const status = result.code === 'err_login_locked' ? 429 : 400;
			// Like every 429: when to try again (the lock's remaining minutes, rounded up).
			if (result.code === 'err_login_locked') event.setHeaders({ 'retry-after': String(minutes * 60) });
			return fail(status, { username: parsed.output.username, error: result.code, minutes, seconds: 0 });
		}
		await releaseLoginAttempt(limiters, ip, name, Date.now());
		await startSession(event, result.userId);
		const user = await db.selectFrom('users').select(['role', 'outlet_id']).where('id', '=', result.userId).executeTakeFirstOrThrow();
		await recordAudit(db, { actorId: result.userId, action: 'login', entity: 'user', entityId: result.userId, outletId: user.outlet_id });
		redirect(303, safeNext(event.url.searchParams.get('next')) ?? homeFor(user.role as Parameters<typeof homeFor>[0]));
	}
};
