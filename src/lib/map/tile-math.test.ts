import { describe, expect, it } from 'vitest';
import { boundsAround, planPrefetch, tileCount, tileOf, tilesIn, tileUrl } from './tile-math';

describe('tile arithmetic', () => {
	it('numbers tiles as OSM does', () => {
		// The centre and the corners of the world.
		expect(tileOf({ lat: 0, lng: 0 }, 1)).toEqual({ z: 1, x: 1, y: 1 });
		expect(tileOf({ lat: 85, lng: -180 }, 3)).toEqual({ z: 3, x: 0, y: 0 });
		expect(tileOf({ lat: -85.1, lng: 180 }, 3)).toEqual({ z: 3, x: 7, y: 7 });
		// Xiaoshan at zoom 15; reference computed apart with the wiki's asinh form:
		// x = 2^15·(120.27+180)/360 = 27331.24, y = 2^15·(1 − asinh(tan 30.183°)/π)/2 = 13500.01.
		expect(tileOf({ lat: 30.183, lng: 120.27 }, 15)).toEqual({ z: 15, x: 27331, y: 13500 });
	});

	it('widens the box by the margin in metres', () => {
		const b = boundsAround([{ lat: 30.18, lng: 120.27 }, { lat: 30.16, lng: 120.25 }], 500)!;
		expect(b.north - 30.18).toBeCloseTo(500 / 111_320, 6);
		expect(b.west).toBeLessThan(120.25 - 500 / 111_320); // a degree of longitude is shorter at 30°N
		expect(boundsAround([], 500)).toBeNull();
	});

	it('lists exactly the tiles it counts', () => {
		const b = boundsAround([{ lat: 30.18, lng: 120.27 }, { lat: 30.15, lng: 120.24 }], 300)!;
		for (const z of [12, 14, 16]) {
			const tiles = tilesIn(b, z);
			expect(tiles).toHaveLength(tileCount(b, z));
			expect(new Set(tiles.map((t) => `${t.x}/${t.y}`)).size).toBe(tiles.length);
		}
		expect(tileCount(b, 17)).toBeGreaterThan(tileCount(b, 16) * 3);
	});

	it('plans whole zoom levels under the size cap', () => {
		const stops = [{ lat: 30.18, lng: 120.27 }, { lat: 30.15, lng: 120.24 }];
		const all = planPrefetch(stops, { minZoom: 13, maxZoom: 17, marginM: 300, maxBytes: 1e12, tileBytes: 20_000, maxTiles: 1e9 });
		expect(all.zooms).toEqual([13, 14, 15, 16, 17]);
		expect(all.capped).toBe(false);
		expect(all.estimatedBytes).toBe(all.tiles.length * 20_000);

		const capped = planPrefetch(stops, { minZoom: 13, maxZoom: 17, marginM: 300, maxBytes: 2_000_000, tileBytes: 20_000, maxTiles: 1e9 });
		expect(capped.capped).toBe(true);
		expect(capped.estimatedBytes).toBeLessThanOrEqual(2_000_000);
		expect(capped.zooms[0]).toBe(13);
		expect(capped.zooms.length).toBeLessThan(5);
		expect(capped.tiles.every((t) => capped.zooms.includes(t.z))).toBe(true);

		const byCount = planPrefetch(stops, { minZoom: 13, maxZoom: 17, marginM: 300, maxBytes: 1e12, tileBytes: 1, maxTiles: 10 });
		expect(byCount.tiles.length).toBeLessThanOrEqual(10);

		expect(planPrefetch([], { minZoom: 13, maxZoom: 17, marginM: 300, maxBytes: 1e9, tileBytes: 1, maxTiles: 10 }).tiles).toEqual([]);
	});

	it('fills URL templates', () => {
		expect(tileUrl('/tiles/{z}/{x}/{y}', { z: 15, x: 27330, y: 13512 })).toBe('/tiles/15/27330/13512');
		expect(tileUrl('https://{s}.example/{z}/{x}/{y}.png', { z: 1, x: 1, y: 0 }, ['a', 'b'])).toBe('https://b.example/1/1/0.png');
	});
});
