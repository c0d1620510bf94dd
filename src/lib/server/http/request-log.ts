/*
 * One line per request in production logs (issue 12): method, route id (the route's pattern,
 * e.g. `/api/photos/[id]`, never the path with its ids or the query), status and milliseconds.
 * No user, no address, no body: nothing personal. `LOG_REQUESTS=0` turns it off.
 */
import type { Handle } from '@sveltejs/kit';

export function requestLine(method: string, routeId: string | null, status: number, ms: number): string {
	return `[req] ${method} ${routeId ?? '(no route)'} ${status} ${ms.toFixed(0)}ms`;
}

export function requestLog(enabled: boolean): Handle {
	return async ({ event, resolve }) => {
		if (!enabled) return resolve(event);
		const started = performance.now();
		try {
			const response = await resolve(event);
			console.log(requestLine(event.request.method, event.route.id, response.status, performance.now() - started));
			return response;
		} catch (err) {
			// redirect() and error() are thrown; their status is logged as such.
			const status = (err as { status?: number } | null)?.status ?? 500;
			console.log(requestLine(event.request.method, event.route.id, status, performance.now() - started));
			throw err;
		}
	};
}
