/**
 * Road travel for planning: when ROUTING_URL names an OSRM-compatible service, the day's travel
 * matrix and each route's road path come from it; otherwise, or when it fails, planning keeps
 * the great-circle estimate (lib/routing) and the map draws straight lines. The log line on
 * failure names the reason and the number of places, never a position.
 */
import type { LatLng } from '$lib/routing';
import { config } from '$lib/server/config';
import { osrmRoute, osrmTable, RoutingError, type RoadOptions } from '$lib/server/routing/osrm';
import type { DayPlan } from './dispatch';
import { keyOf, type DayTravel } from './day-travel';

export type { DayTravel };

function logFailure(what: string, err: unknown, places: number): void {
	const why = err instanceof RoutingError ? err.why : err instanceof Error ? err.name : 'error';
	console.warn(`[doorstep] routing service ${what} failed (${why}, ${places} places): great-circle estimate used`);
}

/** The road matrix between the distinct positions; undefined without a service or when it fails. */
export async function roadTravel(positions: LatLng[], o: RoadOptions & { baseUrl?: string } = {}): Promise<DayTravel | undefined> {
	const baseUrl = o.baseUrl ?? config().routingUrl;
	if (!baseUrl || positions.length < 2) return undefined;
	const points = [...new Map(positions.map((p) => [keyOf(p), p])).values()];
	try {
		return { points, matrices: await osrmTable(baseUrl, points, o) };
	} catch (err) {
		logFailure('table', err, points.length);
		return undefined;
	}
}

/**
 * Each route's road path (outlet → stops → outlet) for the map, when a routing service is set.
 * A route whose path cannot be had keeps none (the map draws straight lines).
 */
export async function withRoadGeometry(plan: DayPlan, outlet: LatLng, positionOf: (visitId: string) => LatLng | null, o: RoadOptions & { baseUrl?: string } = {}): Promise<DayPlan> {
	const baseUrl = o.baseUrl ?? config().routingUrl;
	if (!baseUrl) return plan;
	const routes = await Promise.all(
		plan.routes.map(async (route) => {
			const stops = route.visitIds.map(positionOf).filter((p): p is LatLng => p !== null);
			if (stops.length === 0) return route;
			const points = [outlet, ...stops, outlet];
			try {
				return { ...route, geometry: await osrmRoute(baseUrl, points, o) };
			} catch (err) {
				logFailure('route', err, points.length);
				return route;
			}
		})
	);
	return { ...plan, routes };
}
