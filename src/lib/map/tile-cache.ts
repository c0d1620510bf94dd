/**
 * Names of the service worker's tile caches, shared by vite.config.ts (Workbox runtime caching)
 * and the "prepare for offline" download, which must fill the same cache the worker reads.
 */
/** Our own `/tiles/…` (same origin). */
export const OWN_TILE_CACHE = 'doorstep-tiles';
/** Tiles of a third-party source the user has viewed (cross-origin, often opaque responses). */
export const REMOTE_TILE_CACHE = 'doorstep-tiles-remote';
/** Bounds of the caches: what a day in the district needs, with room; old tiles go first. */
export const OWN_TILE_MAX_ENTRIES = 3000;
export const REMOTE_TILE_MAX_ENTRIES = 1500;
export const TILE_MAX_AGE_SECONDS = 30 * 24 * 3600;
