import type { Map as LeafletMap } from 'leaflet';

/**
 * Loads Leaflet on demand (pages without a map stay light) and opens a map with the configured
 * tile layer. `onTilesFailing` is called when tiles keep failing (no tile server reachable), so
 * the page can fall back to its text view instead of showing a grey box.
 */
export async function openTileMap(
	container: HTMLElement,
	opts: { tileUrl: string; attribution: string; center: [number, number]; zoom: number; onTilesFailing: () => void }
): Promise<{ L: typeof import('leaflet'); map: LeafletMap }> {
	const L = (await import('leaflet')).default;
	await import('leaflet/dist/leaflet.css');
	const map = L.map(container).setView(opts.center, opts.zoom);
	const layer = L.tileLayer(opts.tileUrl, { attribution: opts.attribution, maxZoom: 18 });
	let tileErrors = 0;
	layer.on('tileerror', () => {
		if (++tileErrors > 8) opts.onTilesFailing();
	});
	layer.addTo(map);
	return { L, map };
}
