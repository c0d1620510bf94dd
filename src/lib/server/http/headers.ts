import { baseSecurityHeaders } from '$lib/server/security/base-headers.js';
import { NON_PAGE_CSP, withSources } from '$lib/server/security/csp';

export interface HeaderContext {
	pathname: string;
	/** The app is served over https (ORIGIN=https://…): send HSTS. */
	https: boolean;
	/** CSP source of the configured tile server (tileImageSource), null when none is needed. */
	tileSource: string | null;
}

/**
 * Security headers on every response the app renders (static files get the same base headers
 * from src/lib/server/security/base-headers.js). Pages carry SvelteKit's CSP (`kit.csp` in
 * svelte.config.js: nonces for rendered pages), widened here by the tile server of this
 * installation; everything else gets a policy that lets nothing load. Pages with personal data
 * must never be stored by a browser or proxy cache; static build assets may be cached (they
 * carry hashes in their names).
 */
export function securityHeaders(headers: Headers, ctx: HeaderContext): void {
	for (const [name, value] of baseSecurityHeaders({ https: ctx.https })) headers.set(name, value);
	const csp = headers.get('content-security-policy');
	if (csp) {
		if (ctx.tileSource) headers.set('content-security-policy', withSources(csp, 'img-src', [ctx.tileSource]));
	} else {
		headers.set('content-security-policy', NON_PAGE_CSP);
	}
	if (!ctx.pathname.startsWith('/_app/immutable/') && !headers.has('Cache-Control')) {
		headers.set('Cache-Control', 'no-store');
	}
}
