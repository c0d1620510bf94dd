import { describe, expect, it } from 'vitest';
import { fromMapCoords, gcjProjection, gcjToWgs, metresBetween, toMapCoords, wgsToGcj, type LatLngLike } from './coords';

/** 萧山 (Xiaoshan, Hangzhou): a home position in WGS-84, as a GPS would give it. */
const XIAOSHAN = { lat: 30.183, lng: 120.27 };

/** Spherical Mercator as Leaflet's L.Projection.SphericalMercator computes it. */
const R = 6378137;
const mercator = {
	project: (p: LatLngLike) => ({ x: (R * p.lng * Math.PI) / 180, y: R * Math.log(Math.tan(Math.PI / 4 + (p.lat * Math.PI) / 360)) }),
	unproject: (pt: { x: number; y: number }) => ({ lat: ((2 * Math.atan(Math.exp(pt.y / R)) - Math.PI / 2) * 180) / Math.PI, lng: (pt.x * 180) / (Math.PI * R) })
};

describe('WGS-84 ⇄ GCJ-02', () => {
	it('shifts a Xiaoshan position by about 500 m', () => {
		const offset = metresBetween(XIAOSHAN, wgsToGcj(XIAOSHAN));
		expect(offset).toBeGreaterThan(400);
		expect(offset).toBeLessThan(700);
	});

	it('the iterative inverse returns within a centimetre (gcoord-free check: forward again)', () => {
		const gcj = wgsToGcj(XIAOSHAN);
		const back = gcjToWgs(gcj);
		expect(metresBetween(back, XIAOSHAN)).toBeLessThan(0.01);
		expect(metresBetween(wgsToGcj(back), gcj)).toBeLessThan(0.01);
	});

	it('a Xiaoshan address pinned on a gcj02 map is stored within 1 m of its WGS-84 truth', () => {
		// What Leaflet does with our projection: the marker is drawn at project(truth); a tap on
		// that very pixel comes back through unproject. The tiles sit at GCJ-02 positions, so the
		// pixel must be the GCJ-02 position's pixel in plain Mercator.
		const projection = gcjProjection(mercator, (lat, lng) => ({ lat, lng }));
		const pixel = projection.project(XIAOSHAN);
		const plain = mercator.project(wgsToGcj(XIAOSHAN));
		expect(Math.abs(pixel.x - plain.x)).toBeLessThan(1e-6);
		expect(Math.abs(pixel.y - plain.y)).toBeLessThan(1e-6);
		const stored = projection.unproject(pixel);
		expect(metresBetween(stored, XIAOSHAN)).toBeLessThan(1);
		// Without the conversion the stored pin would be the raw offset away.
		expect(metresBetween(mercator.unproject(pixel), XIAOSHAN)).toBeGreaterThan(400);
	});

	it('wgs84 sources pass positions through unchanged', () => {
		expect(toMapCoords(XIAOSHAN, 'wgs84')).toEqual(XIAOSHAN);
		expect(fromMapCoords(XIAOSHAN, 'wgs84')).toEqual(XIAOSHAN);
		expect(metresBetween(fromMapCoords(toMapCoords(XIAOSHAN, 'gcj02'), 'gcj02'), XIAOSHAN)).toBeLessThan(0.01);
	});

	it('outside China positions are not shifted, and the inverse agrees', () => {
		const paris = { lat: 48.8566, lng: 2.3522 };
		expect(wgsToGcj(paris)).toEqual(paris);
		expect(gcjToWgs(paris)).toEqual(paris);
	});
});
