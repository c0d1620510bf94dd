import { json, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { config } from '$lib/server/config';
import { isCrossSiteWrite } from './csrf';
import { createLimiters, writeLimitOf, type Limiters } from './limits';

/*
 * The request-level refusals of the handle hook: cross-site writes (403) and per-user write
 * rates (429). Each returns the Response to send instead, or null to go on. Answers are JSON
 * (`{ message: code }`, like every endpoint's errors) for API and enhanced-form requests, and a
 * translated sentence for everything else.
 */

let limiters: Limiters | null = null;

/** The rate limiters of this server process, created from config on first use. */
export function processLimiters(): Limiters {
	limiters ??= createLimiters(config().rateLimits);
	return limiters;
}

function wantsJson(event: RequestEvent): boolean {
	return (
		event.url.pathname.startsWith('/api/') ||
		event.request.headers.has('x-sveltekit-action') ||
		(event.request.headers.get('accept') ?? '').includes('application/json')
	);
}

function refusal(event: RequestEvent, status: number, code: string, text: string, headers: Record<string, string> = {}): Response {
	if (wantsJson(event)) return json({ message: code }, { status, headers });
	return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

export function refuseCrossSite(event: RequestEvent): Response | null {
	const { headers, method } = event.request;
	const crossSite = isCrossSiteWrite({ method, origin: headers.get('origin'), secFetchSite: headers.get('sec-fetch-site'), appOrigin: event.url.origin });
	return crossSite ? refusal(event, 403, 'security_err_cross_site', m.security_err_cross_site()) : null;
}

/** 429 with Retry-After and the translated wait. */
export function tooMany(event: RequestEvent, retryAfterSeconds: number): Response {
	return refusal(event, 429, 'security_err_rate_limited', m.security_err_rate_limited({ seconds: retryAfterSeconds }), { 'retry-after': String(retryAfterSeconds) });
}

/** Photo uploads and sync pushes per signed-in user (anonymous ones are refused by the guard). */
export function refuseOverWriteLimit(event: RequestEvent, nowMs: number = Date.now()): Response | null {
	const user = event.locals.user;
	const limit = writeLimitOf(event.request.method, event.url.pathname);
	if (!user || !limit) return null;
	const decision = processLimiters()[limit].take(user.id, nowMs);
	return decision.ok ? null : tooMany(event, decision.retryAfterSeconds);
}
