/**
 * Security headers on every response. Pages with personal data must never be stored by a
 * browser or proxy cache; static build assets may be cached (they carry hashes in their names).
 */
export function securityHeaders(headers: Headers, pathname: string): void {
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'same-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Permissions-Policy', 'camera=(self), geolocation=(self), microphone=()');
	if (!pathname.startsWith('/_app/immutable/') && !headers.has('Cache-Control')) {
		headers.set('Cache-Control', 'no-store');
	}
}
