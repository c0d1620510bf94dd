/**
 * Client of an OSRM-compatible routing service (ROUTING_URL): the road travel-time matrix
 * (`/table/v1/driving/…`) and the road geometry of a route (`/route/v1/driving/…`). Callers fall
 * back to the great-circle estimate when this throws; nothing here logs positions.
 */
import { greatCircleMetres, type LatLng, type TravelMatrices } from '$lib/routing';

/** A planning page waits at most this long for the routing service. */
export const ROUTING_TIMEOUT_MS = 5000;
/** OSRM's default `--max-table-size`. */
const MAX_TABLE_POINTS = 100;

export class RoutingError extends Error {
	constructor(readonly why: string) {
		super(why);
		this.name = 'RoutingError';
	}
}

/** OSRM wants `lng,lat` pairs joined by `;`; six decimals are ~10 cm. */
const coordinates = (points: LatLng[]) => points.map((p) => `${p.lng.toFixed(6)},${p.lat.toFixed(6)}`).join(';');

async function getJson(url: string, fetchFn: typeof fetch, timeoutMs: number): Promise<Record<string, unknown>> {
	let res: Response;
	try {
		res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
	} catch (err) {
		throw new RoutingError(err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'unreachable');
	}
	if (!res.ok) throw new RoutingError(`HTTP ${res.status}`);
	let body: Record<string, unknown>;
	try {
		body = (await res.json()) as Record<string, unknown>;
	} catch {
		throw new RoutingError('not JSON');
	}
	if (body.code !== 'Ok') throw new RoutingError(`code ${String(body.code).slice(0, 40)}`);
	return body;
}

function squareMatrix(value: unknown, n: number, what: string): (number | null)[][] {
	if (!Array.isArray(value) || value.length !== n) throw new RoutingError(`${what}: not ${n}×${n}`);
	return value.map((row) => {
		if (!Array.isArray(row) || row.length !== n) throw new RoutingError(`${what}: not ${n}×${n}`);
		return row.map((v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null));
	});
}

export interface RoadOptions {
	fetchFn?: typeof fetch;
	timeoutMs?: number;
	/** For pairs the service cannot connect (null cells): km/h and detour of the estimate. */
	fallbackSpeedKmh?: number;
	fallbackDetour?: number;
}

/**
 * Road durations (seconds) and distances (metres) between all points. A pair OSRM cannot route
 * (null: e.g. a home off the road network) gets the great-circle estimate, not an error.
 */
export async function osrmTable(baseUrl: string, points: LatLng[], o: RoadOptions = {}): Promise<TravelMatrices> {
	const n = points.length;
	if (n === 0) return { durations: [], distances: [] };
	if (n > MAX_TABLE_POINTS) throw new RoutingError(`more than ${MAX_TABLE_POINTS} places`);
	const body = await getJson(`${baseUrl}/table/v1/driving/${coordinates(points)}?annotations=duration,distance`, o.fetchFn ?? fetch, o.timeoutMs ?? ROUTING_TIMEOUT_MS);
	const durations = squareMatrix(body.durations, n, 'durations');
	const distances = squareMatrix(body.distances, n, 'distances');
	const speed = ((o.fallbackSpeedKmh ?? 25) * 1000) / 3600;
	const detour = o.fallbackDetour ?? 1.35;
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			if (durations[i][j] !== null && distances[i][j] !== null) continue;
			const metres = i === j ? 0 : greatCircleMetres(points[i], points[j]) * detour;
			distances[i][j] ??= metres;
			durations[i][j] ??= metres / speed;
		}
	}
	return { durations: durations as number[][], distances: distances as number[][] };
}

/** The road path through the points in order, as [lat, lng] pairs (GeoJSON gives lng, lat). */
export async function osrmRoute(baseUrl: string, points: LatLng[], o: RoadOptions = {}): Promise<[number, number][]> {
	if (points.length < 2) return points.map((p) => [p.lat, p.lng]);
	const body = await getJson(`${baseUrl}/route/v1/driving/${coordinates(points)}?overview=full&geometries=geojson`, o.fetchFn ?? fetch, o.timeoutMs ?? ROUTING_TIMEOUT_MS);
	const route = Array.isArray(body.routes) ? (body.routes[0] as { geometry?: { coordinates?: unknown } } | undefined) : undefined;
	const coords = route?.geometry?.coordinates;
	if (!Array.isArray(coords) || coords.length < 2) throw new RoutingError('no geometry');
	return coords.map((c) => {
		if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') throw new RoutingError('bad geometry');
		return [c[1], c[0]] as [number, number];
	});
}
