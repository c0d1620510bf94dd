import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '$lib/domain/roles';
import type { SessionUser } from './types';

/** Which role may open which part of the app. API endpoints check their own role and scope. */
const AREA_ROLES: { prefix: string; roles: Role[] }[] = [
	{ prefix: '/requests', roles: ['community_worker'] },
	{ prefix: '/approvals', roles: ['outlet_head'] },
	{ prefix: '/field', roles: ['field_staff'] },
	{ prefix: '/admin', roles: ['admin'] }
];

const PUBLIC_PATHS = ['/login', '/lang', '/favicon.svg', '/robots.txt'];

function matches(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(prefix + '/');
}

/** First line of defence, in the handle hook: signed-in users only, and each area to its role. */
export function guardRoute(event: RequestEvent): void {
	const { pathname } = event.url;
	if (pathname.startsWith('/_app/') || PUBLIC_PATHS.some((p) => matches(pathname, p))) return;
	const user = event.locals.user;
	if (!user) {
		if (pathname.startsWith('/api/')) error(401, { message: 'err_unauthenticated' });
		redirect(303, `/login?next=${encodeURIComponent(pathname + event.url.search)}`);
	}
	const area = AREA_ROLES.find((a) => matches(pathname, a.prefix));
	if (area && !area.roles.includes(user.role)) error(403, { message: 'err_forbidden' });
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
