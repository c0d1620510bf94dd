/*
 * Links that open a stop in the device's navigation app. Positions are WGS-84 (as stored).
 *
 * - Android: a `geo:` URI (RFC 5870 with Android's `q=lat,lng(label)` extension) lets the user
 *   pick any installed map app (AMap, Baidu, Tencent…), which start navigation from there.
 * - iOS: Apple Maps' documented URL (`maps.apple.com/?daddr=…`), which opens the Maps app.
 * - Everywhere, as a fallback: AMap's public URI API (uri.amap.com/navigation), which opens the
 *   AMap app when installed (`callnative=1`) or its mobile web page; `coordinate=wgs84` tells
 *   AMap the position is raw GPS, so it converts to its GCJ-02 itself.
 * No key is needed for any of them and none is called by Doorstep: the user's tap opens them.
 */

export type Platform = 'android' | 'ios' | 'other';

export interface NavTarget {
	lat: number;
	lng: number;
	label: string;
}

export interface NavLink {
	kind: 'geo' | 'apple' | 'amap';
	href: string;
}

/** Six decimals: ~0.1 m, more than GPS gives; keeps the links short and stable. */
const fixed = (n: number) => n.toFixed(6);

/** Labels go into a URI: parentheses and commas would end the label in `geo:` and AMap. */
const cleanLabel = (label: string) => label.replace(/[(),]/g, ' ').trim().slice(0, 60);

export function geoLink(t: NavTarget): string {
	const ll = `${fixed(t.lat)},${fixed(t.lng)}`;
	return `geo:${ll}?q=${ll}(${encodeURIComponent(cleanLabel(t.label))})`;
}

export function appleLink(t: NavTarget): string {
	const q = new URLSearchParams({ daddr: `${fixed(t.lat)},${fixed(t.lng)}`, q: cleanLabel(t.label), dirflg: 'd' });
	return `https://maps.apple.com/?${q}`;
}

export function amapLink(t: NavTarget): string {
	// AMap takes longitude first.
	const q = new URLSearchParams({ to: `${fixed(t.lng)},${fixed(t.lat)},${cleanLabel(t.label)}`, mode: 'car', coordinate: 'wgs84', callnative: '1', src: 'doorstep' });
	return `https://uri.amap.com/navigation?${q}`;
}

export function platformOf(userAgent: string): Platform {
	if (/android/i.test(userAgent)) return 'android';
	if (/iphone|ipad|ipod/i.test(userAgent) || /macintosh.*mobile/i.test(userAgent)) return 'ios';
	return 'other';
}

/** The primary link for the platform first, then the AMap fallback (once). */
export function navigationLinks(t: NavTarget, platform: Platform): NavLink[] {
	const amap: NavLink = { kind: 'amap', href: amapLink(t) };
	if (platform === 'android') return [{ kind: 'geo', href: geoLink(t) }, amap];
	if (platform === 'ios') return [{ kind: 'apple', href: appleLink(t) }, amap];
	return [amap];
}
