import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { closeDb, getDb } from '$lib/server/db';
import { seedOnce } from '$lib/server/db/startup';
import { startJanitor } from '$lib/server/photos/janitor';
import { photoStorage } from '$lib/server/photos/storage';
import { config } from '$lib/server/config';
import { loadSession } from '$lib/server/auth/session';
import { guardRoute } from '$lib/server/auth/guard';
import { securityHeaders } from '$lib/server/http/headers';
import { markDraining } from '$lib/server/http/health';
import { requestLog } from '$lib/server/http/request-log';
import { compressResponse } from '$lib/server/http/compress';
import { tileImageSource } from '$lib/server/security/csp';
import { refuseCrossSite, refuseOverWriteLimit } from '$lib/server/security/guards';
import { hostile, neverThrow } from '$lib/server/security/hostile';
import { keepProcessAlive } from '$lib/server/process-guard';
import { startBackgroundJobs, stopBackgroundJobs } from '$lib/server/jobs/start';

/** Runs once at start: migrations (inside getDb), the demo data on an empty database, the janitor. */
export const init: ServerInit = async () => {
	if (building) return; // prerendering the offline shell needs no database
	keepProcessAlive();
	const db = await getDb();
	await seedOnce(db, config());
	// Reminders, retries and the time-limit sweep (docs/architecture.md § Notifications).
	startBackgroundJobs(db, config());
	// Removes what killed uploads left behind (one process at a time; at start and periodically).
	const stopJanitor = startJanitor(db, photoStorage);
	// SIGTERM: adapter-node stops accepting and lets requests in flight finish (SHUTDOWN_TIMEOUT,
	// 20 s from scripts/start.js), then emits this; /readyz answers 503 meanwhile.
	process.once('SIGTERM', markDraining);
	process.once('sveltekit:shutdown', () => {
		stopJanitor();
		stopBackgroundJobs();
		void closeDb().catch(() => {});
	});
};

/**
 * The field app's first question to the server (who is signed in, lib/client/state/field-user.ts)
 * starts with the HTML instead of after the scripts ran: the lock screen waits on it. Also in the
 * prerendered shell the service worker answers with; other pages get nothing.
 */
const FIELD_PRELOAD_MARK = '<!--doorstep:field-preload-->';
const fieldPreload = (pathname: string) =>
	pathname === '/field' || pathname.startsWith('/field/') || pathname === '/field-shell' ? '<link rel="preload" href="/api/me" as="fetch" crossorigin="anonymous" />' : '';

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		const preload = fieldPreload(event.url.pathname);
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale === 'zh' ? 'zh-CN' : locale).replace(FIELD_PRELOAD_MARK, preload) });
	});

/** Every state change must come from this app's own pages (src/lib/server/security/csrf.ts). */
const csrf: Handle = ({ event, resolve }) => refuseCrossSite(event) ?? resolve(event);

const session: Handle = async ({ event, resolve }) => {
	await loadSession(event);
	return resolve(event);
};

/** Photo uploads and sync pushes per user (sign-in failures are limited in the login action). */
const rateLimit: Handle = async ({ event, resolve }) => (await refuseOverWriteLimit(event)) ?? resolve(event);

const guard: Handle = async ({ event, resolve }) => guardRoute(event) ?? resolve(event);

const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	securityHeaders(response.headers, { pathname: event.url.pathname, https: event.url.protocol === 'https:', tileSource: tileImageSource(config().tileUrl) });
	return response;
};

/** Rendered pages and JSON go out compressed (http/compress.ts); a load's own fetch is not a client. */
const compress: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	return event.isSubRequest ? response : compressResponse(event.request, response);
};

// The request log first, so it sees every answer, refusals included; compression next, so it
// gets the final answer, headers and all; then `neverThrow` and `hostile` before any hook that
// could throw on an odd address (security/hostile.ts): a refusal there is a 4xx, never a crash.
export const handle = sequence(requestLog(!dev && process.env.LOG_REQUESTS !== '0'), compress, headers, neverThrow, hostile, i18n, csrf, session, rateLimit, guard);

/**
 * Unexpected errors: log what helps to fix them (route, error name and message, a reference)
 * but no request body or personal data, and show the user a plain message in their language.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	// SvelteKit's own 4xx (unknown route, body too large, wrong method or content type): the
	// input was refused and nothing was saved; that is no server fault and is not logged as one.
	if (status < 500) return { message: status === 404 ? 'err_not_found' : status === 413 ? 'err_too_large' : 'err_bad_request' };
	const ref = crypto.randomUUID().slice(0, 8);
	const err = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
	console.error(`[doorstep] ${status} ${event.request.method} ${event.route.id ?? event.url.pathname} ref=${ref} ${err.slice(0, 300)}`);
	return { message: 'err_server' };
};
