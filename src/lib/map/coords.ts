/**
 * WGS-84 ⇄ GCJ-02 for map display. Doorstep stores every position in WGS-84 (GPS, homes,
 * routes). A `gcj02` tile source (e.g. AMap) draws its streets shifted by the official
 * obfuscation (about 500 m in Xiaoshan), so what is drawn on such a map is converted forward at
 * render time, and what the user taps or drags is converted back before it is stored.
 *
 * gcoord's own GCJ02→WGS84 is a one-step approximation (metres off); the inverse here iterates
 * the exact forward transform instead, to well under a centimetre.
 */
import gcoord from 'gcoord';
import type { MapCrs } from './tile-source';

export interface LatLngLike {
	lat: number;
	lng: number;
}

/** WGS-84 → GCJ-02 (outside China gcoord leaves positions as they are, as the standard does). */
export function wgsToGcj(p: LatLngLike): LatLngLike {
	const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
	return { lat, lng };
}

/** Convergence threshold of the inverse, in degrees (1e-7° ≈ 1 cm). */
const INVERSE_EPSILON = 1e-7;
const INVERSE_MAX_STEPS = 30;

/**
 * GCJ-02 → WGS-84 by fixed-point iteration: start at the GCJ point and move by the forward
 * transform's error until forward(wgs) hits the target. The offset changes slowly across space,
 * so each step shrinks the error by orders of magnitude; three or four steps suffice.
 */
export function gcjToWgs(target: LatLngLike): LatLngLike {
	let wgs = { lat: target.lat, lng: target.lng };
	for (let i = 0; i < INVERSE_MAX_STEPS; i++) {
		const f = wgsToGcj(wgs);
		const dLat = f.lat - target.lat;
		const dLng = f.lng - target.lng;
		wgs = { lat: wgs.lat - dLat, lng: wgs.lng - dLng };
		if (Math.abs(dLat) < INVERSE_EPSILON && Math.abs(dLng) < INVERSE_EPSILON) break;
	}
	return wgs;
}

/** Stored position (WGS-84) → where to draw it on a map in `crs`. */
export const toMapCoords = (p: LatLngLike, crs: MapCrs): LatLngLike => (crs === 'gcj02' ? wgsToGcj(p) : { lat: p.lat, lng: p.lng });

/** A position read off a map in `crs` (tap, drag) → WGS-84 to store. */
export const fromMapCoords = (p: LatLngLike, crs: MapCrs): LatLngLike => (crs === 'gcj02' ? gcjToWgs(p) : { lat: p.lat, lng: p.lng });

/**
 * A Leaflet projection for a `gcj02` source that takes and gives WGS-84: `project` shifts to
 * GCJ-02 before the base (spherical Mercator) projection, `unproject` undoes both. With it every
 * marker, path and GPS dot is drawn in the right street, and every click, drag or `getCenter()`
 * comes back as WGS-84, without the pages knowing about the shift.
 */
export interface Projection<P> {
	project(latlng: LatLngLike): P;
	unproject(point: P): LatLngLike;
}

export function gcjProjection<P>(base: Projection<P>, makeLatLng: (lat: number, lng: number) => LatLngLike): Projection<P> {
	return {
		project: (latlng) => {
			const gcj = wgsToGcj(latlng);
			return base.project(makeLatLng(gcj.lat, gcj.lng));
		},
		unproject: (point) => {
			const wgs = gcjToWgs(base.unproject(point));
			return makeLatLng(wgs.lat, wgs.lng);
		}
	};
}

/** Distance in metres between two nearby WGS-84 positions (equirectangular: fine below ~10 km). */
export function metresBetween(a: LatLngLike, b: LatLngLike): number {
	const R = 6_371_008.8;
	const toRad = Math.PI / 180;
	const x = (b.lng - a.lng) * toRad * Math.cos(((a.lat + b.lat) / 2) * toRad);
	const y = (b.lat - a.lat) * toRad;
	return Math.hypot(x, y) * R;
}
