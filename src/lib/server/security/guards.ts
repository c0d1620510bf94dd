import { json, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { isCrossSiteWrite } from './csrf';
import { createLimiters, writeLimitOf, type Limiters } from './limits';

/*
 * The request-level refusals of the handle hook: cross-site writes (403) and per-user write
 * rates (429). Each returns the Response to send instead, or null to go on. Answers are JSON
 * (`{ message: code }`, like every endpoint's errors) for API and enhanced-form requests, and a
 * translated sentence for everything else.
 */

let limiters: Promise<Limiters> | null = null;

/** The rate limiters (buckets in the app's database, shared by all its processes). */
export function processLimiters(): Promise<Limiters> {
	limiters ??= getDb().then((db) => createLimiters(db, config().rateLimits));
	limiters.catch(() => (limiters = null));
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
export async function refuseOverWriteLimit(event: RequestEvent, nowMs: number = Date.now()): Promise<Response | null> {
	const user = event.locals.user;
	const limit = writeLimitOf(event.request.method, event.url.pathname);
	if (!user || !limit) return null;
	const decision = await (await processLimiters())[limit].take(user.id, nowMs);
	return decision.ok ? null : tooMany(event, decision.retryAfterSeconds);
}
