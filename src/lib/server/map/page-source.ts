import { config } from '$lib/server/config';
import type { TileSource } from '$lib/map/tile-source';
import { averageTileBytes } from './mbtiles';

/**
 * The tile source as pages receive it: the configured one, with the size estimate of one tile
 * taken from our own MBTiles file when that is the source.
 */
export function pageTileSource(): TileSource | null {
	const { tiles, mbtilesPath } = config();
	if (!tiles) return null;
	if (!tiles.prefetch) return tiles;
	let average: number | null = null;
	try {
		average = averageTileBytes(mbtilesPath);
	} catch {
		// An unreadable file shows as 404 tiles; the estimate keeps its default.
	}
	return average ? { ...tiles, tileBytes: average } : tiles;
}
