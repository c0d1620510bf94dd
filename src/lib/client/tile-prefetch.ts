/**
 * "Prepare for offline": downloads tiles into the service worker's tile cache. Requests go
 * through the service worker when it controls the page, so its cache-first route stores them
 * with its expiration bookkeeping (the cache stays bounded); without a worker (first visit,
 * development) they are put into the same cache directly. Browser-only.
 */
import { OWN_TILE_CACHE } from '$lib/map/tile-cache';

export interface PrefetchProgress {
	done: number;
	total: number;
	/** Tiles the server does not have (outside the MBTiles extract) or that failed. */
	failed: number;
}

export interface PrefetchOptions {
	signal?: AbortSignal;
	onProgress?: (p: PrefetchProgress) => void;
	/** Parallel requests: enough to be quick, few enough to leave the tablet responsive. */
	concurrency?: number;
}

async function fetchOne(url: string, cache: Cache, viaWorker: boolean, signal?: AbortSignal): Promise<boolean> {
	if (await cache.match(url)) return true;
	const res = await fetch(url, { credentials: 'same-origin', signal });
	if (!res.ok) return false;
	if (!viaWorker) await cache.put(url, res.clone());
	await res.arrayBuffer(); // read to the end, so the worker's copy is complete
	return true;
}

/** Downloads the URLs; resolves with the final progress (rejects with AbortError on cancel). */
export async function prefetchTiles(urls: string[], o: PrefetchOptions = {}): Promise<PrefetchProgress> {
	const cache = await caches.open(OWN_TILE_CACHE);
	const viaWorker = !!navigator.serviceWorker?.controller;
	const progress: PrefetchProgress = { done: 0, total: urls.length, failed: 0 };
	let next = 0;
	const worker = async () => {
		while (next < urls.length) {
			o.signal?.throwIfAborted();
			const url = urls[next++];
			let ok = false;
			try {
				ok = await fetchOne(url, cache, viaWorker, o.signal);
			} catch (err) {
				if (o.signal?.aborted) throw err;
				// Offline or a network error: counted, the rest goes on (cancel stops it all).
			}
			progress.done++;
			if (!ok) progress.failed++;
			o.onProgress?.({ ...progress });
		}
	};
	await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 6, urls.length) }, worker));
	return progress;
}
