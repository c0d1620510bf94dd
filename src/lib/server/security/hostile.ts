import { isHttpError, isRedirect, json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { building } from '$app/environment';
import { m } from '$lib/paraglide/messages.js';

/*
 * Refusals of requests that no page of ours makes, at the front of the handle hook, before any
 * hook that could throw: an address that cannot be decoded, an overlong one, a form action
 * name that is no action of ours. And the hook chain's last safety net (`neverThrow`).
 */

/** Longest path and query we read: no page or endpoint of ours comes near (Node caps the whole head at 16 KB). */
export const URL_LIMITS = { maxPathLength: 1024, maxSearchLength: 4096 };

type Locale = 'zh' | 'en';

/** The user's language without paraglide's middleware (which has not run yet). */
function localeOf(request: Request): Locale {
	const cookie = /(?:^|;\s*)doorstep_lang=(zh|en)(?:;|$)/.exec(request.headers.get('cookie') ?? '');
	if (cookie) return cookie[1] as Locale;
	const accepted = (request.headers.get('accept-language') ?? '').trim().toLowerCase();
	return accepted.startsWith('en') ? 'en' : 'zh';
}

const TEXTS: Record<string, (locale: Locale) => string> = {
	hardening_err_bad_address: (locale) => m.hardening_err_bad_address({}, { locale }),
	hardening_err_address_too_long: (locale) => m.hardening_err_address_too_long({}, { locale }),
	hardening_err_bad_action: (locale) => m.hardening_err_bad_action({}, { locale }),
	err_bad_request: (locale) => m.err_bad_request({}, { locale }),
	err_server: (locale) => m.err_server({}, { locale })
};

function wantsJson(request: Request, pathname: string): boolean {
	return pathname.startsWith('/api/') || request.headers.has('x-sveltekit-action') || (request.headers.get('accept') ?? '').includes('application/json');
}

/**
 * `{ message: code }` for API and enhanced-form requests; for a browser a small page (no script,
 * no style: the strict policy of refusals stays) with the sentence and a way back home; a plain
 * translated sentence for other clients.
 */
export function plainRefusal(request: Request, pathname: string, status: number, code: string, headers: Record<string, string> = {}): Response {
	const h = { 'cache-control': 'no-store', ...headers };
	if (wantsJson(request, pathname)) return json({ message: code }, { status, headers: h });
	const locale = localeOf(request);
	const text = (TEXTS[code] ?? TEXTS.err_bad_request)(locale);
	if (!(request.headers.get('accept') ?? '').includes('text/html')) {
		return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...h } });
	}
	const title = m.hardening_refusal_title({}, { locale });
	const page =
		`<!doctype html><html lang="${locale === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
		`<body><h1>${title}</h1><p>${text}</p><p><a href="/">${m.hardening_back_home({}, { locale })}</a></p></body></html>`;
	return new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...h } });
}

/** SvelteKit's own decoding of the path (decode_pathname): false where it would fail. */
export function isDecodablePath(pathname: string): boolean {
	try {
		pathname.split('%25').forEach((part) => decodeURI(part));
		return true;
	} catch {
		return false;
	}
}

/**
 * The form action SvelteKit would run for this URL (the first query key starting with `/`),
 * or null for none. An action name is letters, digits, `-` and `_`; `default` is implied and
 * never named; names of Object.prototype (`constructor`, `toString`…) are no action of ours.
 */
export function actionNameOf(url: URL): { name: string; ok: boolean } | null {
	for (const [key] of url.searchParams) {
		if (!key.startsWith('/')) continue;
		const name = key.slice(1);
		const ok = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name) && name !== 'default' && !(name in Object.prototype);
		return { name, ok };
	}
	return null;
}

/** The Response refusing this request, or null to go on. */
export function refuseHostileRequest(event: RequestEvent): Response | null {
	const { request, url } = event;
	// The raw path as sent: URL keeps `%ff` as it came.
	const path = url.pathname;
	if (path.length > URL_LIMITS.maxPathLength || url.search.length > URL_LIMITS.maxSearchLength) {
		return plainRefusal(request, path, 414, 'hardening_err_address_too_long');
	}
	if (!isDecodablePath(path)) return plainRefusal(request, path, 400, 'hardening_err_bad_address');
	if (request.method === 'POST') {
		const action = actionNameOf(url);
		if (action && !action.ok) return plainRefusal(request, path, 400, 'hardening_err_bad_action');
	}
	return null;
}

// While prerendering the offline shell there is no request from outside (and no query to read).
export const hostile: Handle = ({ event, resolve }) => (building ? null : refuseHostileRequest(event)) ?? resolve(event);

/**
 * The hook chain's safety net. What a hook throws, SvelteKit answers itself (a redirect in the
 * form a page, data or action request expects; an error page; a logged 500) except while it
 * handles a path it could not decode: there a throw was not caught at all and ended the
 * process (a redirect from the route guard for `GET /%ff`). `hostile` refuses such paths first;
 * should anything still throw for one, it is answered here for this request only: a redirect
 * as one, an HTTP error with its status, anything else logged (route, reference, error name and
 * message, never the body) and answered 500.
 */
export const neverThrow: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} catch (err) {
		const pathname = event.url.pathname;
		if (isDecodablePath(pathname)) throw err;
		if (isRedirect(err)) return new Response(null, { status: err.status, headers: { location: err.location } });
		if (isHttpError(err)) {
			const code = typeof err.body?.message === 'string' ? err.body.message : 'err_bad_request';
			return plainRefusal(event.request, pathname, err.status, code);
		}
		const ref = logUnexpected('request', err, `${event.request.method} (undecodable path)`);
		return plainRefusal(event.request, pathname, 500, 'err_server', { 'x-doorstep-ref': ref });
	}
};

/** One log line for an unexpected failure, with a reference to quote; no request data. */
export function logUnexpected(kind: string, err: unknown, where: string): string {
	const ref = crypto.randomUUID().slice(0, 8);
	const text = err instanceof Error ? `${err.name}: ${err.message}` : 'non-error value';
	console.error(`[doorstep] unexpected ${kind} at ${where} ref=${ref} ${text.slice(0, 300)}`);
	return ref;
}
