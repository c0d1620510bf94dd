import { error, json, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '$lib/domain/roles';
import type { SessionUser } from './types';

/** Which role may open which part of the app. API endpoints check their own role and scope. */
const AREA_ROLES: { prefix: string; roles: Role[] }[] = [
	{ prefix: '/requests', roles: ['community_worker'] },
	{ prefix: '/approvals', roles: ['outlet_head'] },
	{ prefix: '/field', roles: ['field_staff'] },
	{ prefix: '/admin', roles: ['admin'] }
];

// /field-shell and the manifest carry no data: the service worker and the browser fetch them.
// /healthz and /readyz: for the load balancer, no session and no personal data (http/health.ts).
const PUBLIC_PATHS = ['/login', '/lang', '/healthz', '/readyz', '/favicon.svg', '/robots.txt', '/field-shell', '/manifest.webmanifest', '/sw.js', '/sw-sync.js', '/icons'];

function matches(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(prefix + '/');
}

/**
 * First line of defence, in the handle hook: signed-in users only. Pages redirect to the login,
 * API calls get a 401. Returns a Response to send instead, or null to go on.
 */
export function guardRoute(event: RequestEvent): Response | null {
	const { pathname } = event.url;
	if (pathname.startsWith('/_app/') || pathname.startsWith('/workbox-') || PUBLIC_PATHS.some((p) => matches(pathname, p))) return null;
	const user = event.locals.user;
	// The field app is client-rendered from the tablet's store (it has no server load to check
	// in), so other roles are sent to their own start page here.
	if (user && matches(pathname, '/field') && user.role !== 'field_staff') redirect(303, homeFor(user.role));
	if (user) return null;
	// Map tiles too: a redirect to the login page would be stored as a "tile" by the service worker.
	if (pathname.startsWith('/api/') || pathname.startsWith('/tiles/')) return json({ message: 'err_unauthenticated' }, { status: 401 });
	redirect(303, `/login?next=${encodeURIComponent(pathname + event.url.search)}`);
}

/**
 * Each area to its role, checked in the app's layout load so a refusal renders the app's own
 * translated error page (an error thrown in the handle hook would not).
 */
export function assertAreaRole(user: SessionUser | null, pathname: string): void {
	const area = AREA_ROLES.find((a) => matches(pathname, a.prefix));
	if (area && (!user || !area.roles.includes(user.role))) error(403, { message: 'err_forbidden' });
}

/** Second line, in every load, action and endpoint: the signed-in user with one of these roles. */
export function requireRole(event: Pick<RequestEvent, 'locals'>, ...roles: Role[]): SessionUser {
	const user = event.locals.user;
	if (!user) error(401, { message: 'err_unauthenticated' });
	if (roles.length && !roles.includes(user.role)) error(403, { message: 'err_forbidden' });
	return user;
}

export function homeFor(role: Role): string {
	return { community_worker: '/requests', outlet_head: '/approvals', field_staff: '/field', admin: '/admin' }[role];
}
