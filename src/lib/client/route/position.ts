/*
 * The tablet's position for the route map and the re-plan (browser only). Positions are WGS-84
 * as the GPS gives them; a map on a GCJ-02 source converts when drawing (openTileMap).
 */
export interface Fix {
	lat: number;
	lng: number;
	accuracyM: number;
}

const toFix = (p: GeolocationPosition): Fix => ({ lat: p.coords.latitude, lng: p.coords.longitude, accuracyM: Math.round(p.coords.accuracy) });

/** One position, a recent one accepted; null when denied, unavailable or too slow. */
export function currentFix(timeoutMs = 8000): Promise<Fix | null> {
	if (typeof navigator === 'undefined' || !navigator.geolocation) return Promise.resolve(null);
	return new Promise((resolve) => {
		navigator.geolocation.getCurrentPosition(
			(p) => resolve(toFix(p)),
			() => resolve(null),
			{ enableHighAccuracy: true, maximumAge: 60_000, timeout: timeoutMs }
		);
	});
}

/** Follows the position; returns the function that stops following. */
export function watchFix(onFix: (fix: Fix) => void): () => void {
	if (typeof navigator === 'undefined' || !navigator.geolocation) return () => {};
	const id = navigator.geolocation.watchPosition((p) => onFix(toFix(p)), () => {}, { enableHighAccuracy: true, maximumAge: 30_000 });
	return () => navigator.geolocation.clearWatch(id);
}
