/*
 * Cross-site request forgery: every state-changing request must come from a page of this app.
 * SvelteKit's own check covers form posts only (and `kit.csrf` stays on for them); this one
 * also covers JSON and binary bodies (sync push, photo uploads, device registration), which a
 * cross-site page could send with `fetch(…, { credentials: 'include', mode: 'no-cors' })` for
 * some content types. Browsers send `Origin` with every non-GET request and `Sec-Fetch-Site`
 * with every request; a request with neither is not from a browser page and must name its
 * origin (the e2e tests' API clients do). Pure.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface WriteRequest {
	method: string;
	/** The `Origin` header, or null. */
	origin: string | null;
	/** The `Sec-Fetch-Site` header, or null. */
	secFetchSite: string | null;
	/** This app's origin (`event.url.origin`: ORIGIN behind adapter-node). */
	appOrigin: string;
}

/** True when the request changes state and does not provably come from this app's origin. */
export function isCrossSiteWrite(req: WriteRequest): boolean {
	if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
	if (req.origin !== null) return req.origin !== req.appOrigin;
	return req.secFetchSite !== 'same-origin';
}
