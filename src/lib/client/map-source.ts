/**
 * The map tile source in the field app: asked from the server when online, remembered on the
 * tablet so maps (and their cached tiles) open offline. It holds no personal data, so it lives
 * in localStorage, shared by the tablet's users.
 */
import type { TileSource } from '$lib/map/tile-source';

const KEY = 'doorstep-tile-source';

function remembered(): TileSource | null {
	try {
		const raw = localStorage.getItem(KEY);
		return raw ? (JSON.parse(raw) as { source: TileSource | null }).source : null;
	} catch {
		return null;
	}
}

/** The configured tile source; the remembered one when the server cannot be reached. Null: no map. */
export async function loadTileSource(fetchFn: typeof fetch = fetch): Promise<TileSource | null> {
	try {
		const res = await fetchFn('/api/map', { headers: { accept: 'application/json' } });
		if (!res.ok) return remembered();
		const body = (await res.json()) as { source: TileSource | null };
		localStorage.setItem(KEY, JSON.stringify({ source: body.source }));
		return body.source;
	} catch {
		return remembered();
	}
}
