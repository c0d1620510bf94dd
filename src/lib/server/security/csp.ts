/*
 * Run-time additions to the Content-Security-Policy SvelteKit builds from svelte.config.js
 * (`kit.csp`). The tile server is configured at run time (TILE_URL), the policy at build time,
 * so the hook adds the tile origin to `img-src` of every rendered page. Pure.
 */

/** For responses that are not pages (JSON, redirects, files from endpoints): nothing may load. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export { tileImageSource } from './base-headers.js';

/** Adds sources to one directive of a policy (creating it from default-src if it is missing). */
export function withSources(policy: string, directive: string, sources: string[]): string {
	if (!sources.length) return policy;
	const parts = policy
		.split(';')
		.map((p) => p.trim())
		.filter(Boolean);
	const index = parts.findIndex((p) => p.split(/\s+/)[0] === directive);
	if (index >= 0) {
		const present = new Set(parts[index].split(/\s+/).slice(1));
		const added = sources.filter((s) => !present.has(s));
		if (added.length) parts[index] = `${parts[index]} ${added.join(' ')}`;
	} else {
		const fallback = parts.find((p) => p.split(/\s+/)[0] === 'default-src');
		parts.push([directive, ...(fallback ? fallback.split(/\s+/).slice(1) : []), ...sources].join(' '));
	}
	return parts.join('; ');
}
