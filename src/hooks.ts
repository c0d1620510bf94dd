import type { Reroute } from '@sveltejs/kit';

// Locale comes from a cookie, not the URL, so paths are never rewritten.
export const reroute: Reroute = ({ url }) => url.pathname;
