/**
 * Web Mercator tile arithmetic for "prepare for offline": which tiles cover the day's stops at
 * street zoom levels, and how many fit under the size cap. Pure (no I/O), tested directly.
 */
import type { LatLngLike } from './coords';

export interface TileXYZ {
	z: number;
	x: number;
	y: number;
}

/** Web Mercator stops at ±85.0511°; beyond it there are no tiles. */
const MAX_LAT = 85.0511287798;

/** The tile (XYZ / "slippy map" numbering, y from the north) that contains a position at zoom z. */
export function tileOf(p: LatLngLike, z: number): TileXYZ {
	const n = 2 ** z;
	const lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, p.lat));
	const rad = (lat * Math.PI) / 180;
	const x = Math.floor(((p.lng + 180) / 360) * n);
	const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
	return { z, x: clamp(x, 0, n - 1), y: clamp(y, 0, n - 1) };
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export interface Bounds {
	south: number;
	west: number;
	north: number;
	east: number;
}

/** The box around the points, widened by `marginM` metres on every side (null without points). */
export function boundsAround(points: LatLngLike[], marginM: number): Bounds | null {
	if (points.length === 0) return null;
	let south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
	for (const p of points) {
		south = Math.min(south, p.lat);
		north = Math.max(north, p.lat);
		west = Math.min(west, p.lng);
		east = Math.max(east, p.lng);
	}
	const dLat = marginM / 111_320;
	const dLng = marginM / (111_320 * Math.max(0.01, Math.cos((((south + north) / 2) * Math.PI) / 180)));
	return { south: south - dLat, north: north + dLat, west: west - dLng, east: east + dLng };
}

/** How many tiles cover the box at zoom z. */
export function tileCount(b: Bounds, z: number): number {
	const nw = tileOf({ lat: b.north, lng: b.west }, z);
	const se = tileOf({ lat: b.south, lng: b.east }, z);
	return (se.x - nw.x + 1) * (se.y - nw.y + 1);
}

/** Every tile covering the box at zoom z, row by row from the north-west. */
export function tilesIn(b: Bounds, z: number): TileXYZ[] {
	const nw = tileOf({ lat: b.north, lng: b.west }, z);
	const se = tileOf({ lat: b.south, lng: b.east }, z);
	const tiles: TileXYZ[] = [];
	for (let y = nw.y; y <= se.y; y++) for (let x = nw.x; x <= se.x; x++) tiles.push({ z, x, y });
	return tiles;
}

export interface PrefetchPlan {
	tiles: TileXYZ[];
	/** Zoom levels included (ascending). Levels stop at the first that would break the cap. */
	zooms: number[];
	estimatedBytes: number;
	/** Some requested levels were left out because of the cap (nothing at all if even the first did not fit). */
	capped: boolean;
}

export interface PrefetchOptions {
	minZoom: number;
	maxZoom: number;
	/** Margin around the stops, metres: the streets leading to them. */
	marginM: number;
	maxBytes: number;
	tileBytes: number;
	/** Hard bound in tiles too: the cache keeps at most this many (older ones would be evicted). */
	maxTiles: number;
}

/**
 * The tiles to download for the stops: whole zoom levels from `minZoom` up, as long as the total
 * stays under the cap — a complete coarser level beats a patchy finer one when the street is
 * what the team needs to find.
 */
export function planPrefetch(points: LatLngLike[], o: PrefetchOptions): PrefetchPlan {
	const box = boundsAround(points, o.marginM);
	const plan: PrefetchPlan = { tiles: [], zooms: [], estimatedBytes: 0, capped: false };
	if (!box) return plan;
	let count = 0;
	for (let z = o.minZoom; z <= o.maxZoom; z++) {
		const more = tileCount(box, z);
		if ((count + more) * o.tileBytes > o.maxBytes || count + more > o.maxTiles) {
			plan.capped = true;
			break;
		}
		count += more;
		plan.zooms.push(z);
		plan.tiles.push(...tilesIn(box, z));
	}
	plan.estimatedBytes = count * o.tileBytes;
	return plan;
}

/** The URL of a tile from a Leaflet-style template (`{s}` takes the first subdomain). */
export function tileUrl(template: string, t: TileXYZ, subdomains: string[] = []): string {
	return template
		.replace('{s}', subdomains[(t.x + t.y) % Math.max(1, subdomains.length)] ?? '')
		.replace('{z}', String(t.z))
		.replace('{x}', String(t.x))
		.replace('{y}', String(t.y))
		.replace('{r}', '');
}
