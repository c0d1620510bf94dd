import { describe, expect, it } from 'vitest';
import { readTileSource } from './tile-config';

describe('tile source configuration', () => {
	it('defaults to OpenStreetMap, which forbids bulk download', () => {
		const { source } = readTileSource({});
		expect(source).toMatchObject({ url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: '© OpenStreetMap contributors', crs: 'wgs84', prefetch: false, maxZoom: 18 });
	});

	it('an empty TILE_URL turns the map off', () => {
		expect(readTileSource({ TILE_URL: '' }).source).toBeNull();
	});

	it('substitutes the key on the server and appends the approval number', () => {
		const { source } = readTileSource({
			TILE_URL: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?tk={key}&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}',
			TILE_SUBDOMAINS: '01234567',
			TILE_KEY: 'k&1',
			TILE_ATTRIBUTION: '天地图',
			TILE_APPROVAL_NO: 'GS(2024)0568号',
			TILE_MAX_ZOOM: '17'
		});
		expect(source?.url).toBe('https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=k%261&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}');
		expect(source?.subdomains).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
		expect(source?.attribution).toBe('天地图 · 审图号：GS(2024)0568号');
		expect(source?.maxZoom).toBe(17);
		expect(source?.prefetch).toBe(false);
	});

	it('refuses a source without attribution or without its key', () => {
		expect(readTileSource({ TILE_URL: 'https://example.com/{z}/{x}/{y}.png' })).toMatchObject({ source: null, problem: expect.stringContaining('TILE_ATTRIBUTION') });
		expect(readTileSource({ TILE_URL: 'https://x/{z}/{x}/{y}?key={key}', TILE_ATTRIBUTION: 'X' })).toMatchObject({ source: null, problem: expect.stringContaining('TILE_KEY') });
	});

	it('allows bulk download only for our own /tiles source; reads the coordinate system', () => {
		const own = readTileSource({ TILE_URL: '/tiles/{z}/{x}/{y}', TILE_ATTRIBUTION: '© 本行', TILE_PREFETCH_MAX_MB: '10' }).source!;
		expect(own.prefetch).toBe(true);
		expect(own.prefetchMaxBytes).toBe(10 * 1024 * 1024);
		const amap = readTileSource({ TILE_URL: 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8', TILE_SUBDOMAINS: '1,2,3,4', TILE_ATTRIBUTION: '© 高德', TILE_CRS: 'GCJ02' }).source!;
		expect(amap).toMatchObject({ crs: 'gcj02', prefetch: false, subdomains: ['1', '2', '3', '4'] });
	});
});
