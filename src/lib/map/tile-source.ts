/**
 * A map tile source as the pages receive it (shared by server and browser; no I/O). The server
 * builds it from configuration (lib/server/map/tile-config.ts): the key is already substituted
 * and the attribution already carries the map approval number (审图号) where one is given.
 */
export type MapCrs = 'wgs84' | 'gcj02';

export interface TileSource {
	/** Leaflet URL template ({s}, {z}, {x}, {y}); `/tiles/{z}/{x}/{y}` is our own MBTiles. */
	url: string;
	subdomains: string[];
	/** Required: shown on every map. */
	attribution: string;
	minZoom: number;
	maxZoom: number;
	/** The coordinate system the tiles are drawn in. Positions we store are always WGS-84. */
	crs: MapCrs;
	/**
	 * Whether "prepare for offline" may download tiles in bulk. True only for our own `/tiles`
	 * source: the terms of tile.openstreetmap.org, Tianditu's public API and other providers
	 * forbid bulk download, so for them only tiles the user has viewed are kept.
	 */
	prefetch: boolean;
	/** Size cap of one "prepare for offline" download. */
	prefetchMaxBytes: number;
	/** Estimated bytes of one tile (the MBTiles average where known), for the size cap. */
	tileBytes: number;
}

/** The path prefix of the tiles Doorstep serves itself from its MBTiles file. */
export const OWN_TILES_PREFIX = '/tiles/';

/** Our own source is the only one whose terms we set ourselves. */
export const isOwnTileUrl = (url: string): boolean => url.startsWith(OWN_TILES_PREFIX);
