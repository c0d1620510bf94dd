/**
 * The map tile source from environment variables (see the README's configuration table). Pure:
 * config.ts calls it once. A key is substituted here, on the server, so it lives only in the
 * environment, never in the repository; it still reaches the browser inside the tile URL, as
 * every browser-side map key does (restrict it to your domain at the provider).
 */
import { isOwnTileUrl, type MapCrs, type TileSource } from '$lib/map/tile-source';

const DEFAULT_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const DEFAULT_ATTRIBUTION = '© OpenStreetMap contributors';
/** A street-level PNG tile of a Chinese district is typically 10–40 KB. */
export const DEFAULT_TILE_BYTES = 25_000;

function intIn(value: string | undefined, fallback: number, lo: number, hi: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) && n >= lo && n <= hi ? n : fallback;
}

/** `abc` (Leaflet's style) or `0,1,2,3` / `t0 t1`: one subdomain per character or per item. */
function subdomainsFrom(value: string | undefined): string[] {
	const v = (value ?? '').trim();
	if (!v) return ['a', 'b', 'c'];
	return /[\s,]/.test(v) ? v.split(/[\s,]+/).filter(Boolean) : [...v];
}

export interface TileConfigResult {
	source: TileSource | null;
	/** Why the map is off although TILE_URL is set (logged once at start); null when fine. */
	problem: string | null;
}

export function readTileSource(env: Record<string, string | undefined>): TileConfigResult {
	const template = (env.TILE_URL ?? DEFAULT_URL).trim();
	if (!template) return { source: null, problem: null };
	const key = env.TILE_KEY ?? '';
	if (template.includes('{key}') && !key) return { source: null, problem: 'TILE_URL needs {key} but TILE_KEY is empty: map off' };
	const baseAttribution = (env.TILE_ATTRIBUTION ?? (template === DEFAULT_URL ? DEFAULT_ATTRIBUTION : '')).trim();
	// Showing a provider's tiles without its attribution breaks its terms: no attribution, no map.
	if (!baseAttribution) return { source: null, problem: 'TILE_ATTRIBUTION is required with TILE_URL: map off' };
	const approval = (env.TILE_APPROVAL_NO ?? '').trim();
	const attribution = approval ? `${baseAttribution} · 审图号：${approval}` : baseAttribution;
	const minZoom = intIn(env.TILE_MIN_ZOOM, 1, 0, 22);
	const maxZoom = Math.max(minZoom, intIn(env.TILE_MAX_ZOOM, 18, 0, 22));
	const crs: MapCrs = env.TILE_CRS?.trim().toLowerCase() === 'gcj02' ? 'gcj02' : 'wgs84';
	const url = template.replaceAll('{key}', encodeURIComponent(key));
	return {
		source: {
			url,
			subdomains: subdomainsFrom(env.TILE_SUBDOMAINS),
			attribution,
			minZoom,
			maxZoom,
			crs,
			// Decided by where the tiles come from, never by a switch: only our own MBTiles may be
			// downloaded in bulk (third-party terms forbid it).
			prefetch: isOwnTileUrl(url),
			prefetchMaxBytes: intIn(env.TILE_PREFETCH_MAX_MB, 50, 1, 2000) * 1024 * 1024,
			tileBytes: DEFAULT_TILE_BYTES
		},
		problem: null
	};
}
