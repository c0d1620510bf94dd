import type { CRS, Map as LeafletMap } from 'leaflet';
import { gcjProjection } from '$lib/map/coords';
import type { MapCrs, TileSource } from '$lib/map/tile-source';

type L = typeof import('leaflet');

export interface TileMapOptions {
	tileUrl: string;
	attribution: string;
	center: [number, number];
	zoom: number;
	onTilesFailing: () => void;
	/**
	 * The rest of the configured tile source (subdomains, zoom range, coordinate system). With
	 * `crs: 'gcj02'` the map takes and gives WGS-84 anyway: markers, paths and the GPS dot are
	 * shifted onto the GCJ-02 streets when drawn, and clicks and drags come back as WGS-84.
	 */
	source?: Partial<Pick<TileSource, 'subdomains' | 'minZoom' | 'maxZoom' | 'crs'>> | null;
}

/** Web Mercator whose latitudes and longitudes are WGS-84 on tiles drawn in GCJ-02. */
function gcjCrs(L: L): CRS {
	const base = L.Projection.SphericalMercator;
	const projection = {
		...gcjProjection(base, (lat, lng) => L.latLng(lat, lng)),
		bounds: base.bounds
	};
	return L.Util.extend({}, L.CRS.EPSG3857, { code: 'EPSG:3857-GCJ02', projection }) as CRS;
}

const crsFor = (L: L, crs: MapCrs | undefined): CRS => (crs === 'gcj02' ? gcjCrs(L) : L.CRS.EPSG3857);

/**
 * Loads Leaflet on demand (pages without a map stay light) and opens a map with the configured
 * tile layer. `onTilesFailing` is called when tiles keep failing and none has loaded, so
 * the page can fall back to its text view instead of showing a grey box.
 *
 * Positions given to and read from the returned map are always WGS-84, whatever the source's
 * coordinate system (see `source.crs`).
 */
export async function openTileMap(container: HTMLElement, opts: TileMapOptions): Promise<{ L: L; map: LeafletMap }> {
	const L = (await import('leaflet')).default;
	await import('leaflet/dist/leaflet.css');
	const source = opts.source ?? {};
	const minZoom = source.minZoom ?? 0;
	const maxZoom = source.maxZoom ?? 18;
	const map = L.map(container, { crs: crsFor(L, source.crs), minZoom, maxZoom }).setView(opts.center, Math.min(maxZoom, Math.max(minZoom, opts.zoom)));
	const layer = L.tileLayer(opts.tileUrl, {
		attribution: opts.attribution,
		minZoom,
		maxZoom,
		...(source.subdomains?.length ? { subdomains: source.subdomains } : {})
	});
	// Offline, tiles outside what was viewed or prepared fail while cached ones show: only a map
	// with no tile at all is "failing".
	let tileErrors = 0;
	let tilesLoaded = 0;
	layer.on('tileload', () => tilesLoaded++);
	layer.on('tileerror', () => {
		if (++tileErrors > 8 && tilesLoaded === 0) opts.onTilesFailing();
	});
	layer.addTo(map);
	return { L, map };
}

/**
 * A component's map for as long as it is mounted (call from onMount, return what it returns):
 * opens the map, lets `draw` add the layers, and removes it at teardown — also when the map
 * opens only after the component is gone. A failure (Leaflet, a drawing error) calls `onFail`,
 * so the component shows its text instead.
 */
export function mountTileMap(container: HTMLElement, opts: TileMapOptions, draw: (L: L, map: LeafletMap) => void, onFail: () => void): () => void {
	let destroyed = false;
	let remove = () => {};
	openTileMap(container, opts)
		.then(({ L, map }) => {
			if (destroyed) return map.remove();
			remove = () => map.remove();
			draw(L, map);
		})
		.catch(onFail);
	return () => {
		destroyed = true;
		remove();
	};
}
