import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { getDb } from '$lib/server/db';
import { seedIfEmpty } from '$lib/server/db/seed';
import { config } from '$lib/server/config';
import { loadSession } from '$lib/server/auth/session';
import { guardRoute } from '$lib/server/auth/guard';
import { securityHeaders } from '$lib/server/http/headers';

/** Runs once at start: migrations (inside getDb) and the demo data on an empty database. */
export const init: ServerInit = async () => {
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
