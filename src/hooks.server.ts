import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { getDb } from '$lib/server/db';
import { seedIfEmpty } from '$lib/server/db/seed';
import { config } from '$lib/server/config';
import { loadSession } from '$lib/server/auth/session';
import { guardRoute } from '$lib/server/auth/guard';
import { securityHeaders } from '$lib/server/http/headers';

/** Runs once at start: migrations (inside getDb) and the demo data on an empty database. */
export const init: ServerInit = async () => {
	if (building) return; // prerendering the offline shell needs no database
	const db = await getDb();
	await seedIfEmpty(db, config());
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale === 'zh' ? 'zh-CN' : locale) });
	});

const session: Handle = async ({ event, resolve }) => {
	await loadSession(event);
	return resolve(event);
};

const guard: Handle = async ({ event, resolve }) => {
	guardRoute(event);
	return resolve(event);
};

const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	securityHeaders(response.headers, event.url.pathname);
	return response;
};

export const handle = sequence(headers, i18n, session, guard);

/**
 * Unexpected errors: log what helps to fix them (route, error name and message, a reference)
 * but no request body or personal data, and show the user a plain message in their language.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: 'err_not_found' };
	const ref = crypto.randomUUID().slice(0, 8);
	const err = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
	console.error(`[doorstep] ${status} ${event.request.method} ${event.route.id ?? event.url.pathname} ref=${ref} ${err.slice(0, 300)}`);
	return { message: 'err_server' };
};
