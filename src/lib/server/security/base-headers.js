// The security headers every response carries. Plain JavaScript on purpose: the SvelteKit
// handle hook (src/lib/server/http/headers.ts) applies them to what the app renders, and
// scripts/start.js and scripts/e2e-server.js apply them, through `protectEveryResponse`, to what
// adapter-node serves before any hook runs (build assets, the prerendered /field-shell, the
// service worker). One list, so the two can never disagree.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A year; only sent when the app is served over https (ORIGIN=https://…). */
const HSTS = 'max-age=31536000';

/**
 * The part of the Content-Security-Policy that holds for every response. Static files get only
 * this: the prerendered shell carries the rest (script hashes, img-src…) in the <meta> tag
 * SvelteKit writes at build time, and a header with default-src would block its inline script.
 * frame-ancestors only works as a header, which is why it is here.
 */
export const STATIC_CSP = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

/** The tile template the server uses when TILE_URL is unset (src/lib/server/map/tile-config.ts). */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/**
 * @param {{ https: boolean }} opts
 * @returns {Array<[string, string]>}
 */
export function baseSecurityHeaders({ https }) {
	/** @type {Array<[string, string]>} */
	const headers = [
		['X-Content-Type-Options', 'nosniff'],
		['Referrer-Policy', 'same-origin'],
		['X-Frame-Options', 'DENY'],
		['Permissions-Policy', 'camera=(self), geolocation=(self), microphone=()'],
		['Cross-Origin-Opener-Policy', 'same-origin']
	];
	if (https) headers.push(['Strict-Transport-Security', HSTS]);
	return headers;
}

/**
 * The CSP source that allows Leaflet's tile images from `tileUrl`, or null when none is needed
 * (no map, or tiles from this server: `/tiles/{z}/{x}/{y}` is covered by 'self').
 * `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`.
 *
 * @param {string} tileUrl
 * @returns {string | null}
 */
export function tileImageSource(tileUrl) {
	const url = tileUrl.trim();
	if (!url || url.startsWith('/')) return null;
	const match = /^(https?):\/\/([^/?#]+)/i.exec(url);
	if (!match) return null;
	const scheme = match[1].toLowerCase();
	let host = match[2].toLowerCase();
	// A placeholder in the host ({s}, webrd0{s}) is a subdomain: allow any of them.
	if (host.includes('{')) {
		const labels = host.split('.');
		if (!labels[0].includes('{') || labels.slice(1).some((l) => l.includes('{')) || labels.length < 3) return null;
		host = ['*', ...labels.slice(1)].join('.');
	}
	if (!/^[\w*.-]+(:\d+)?$/.test(host)) return null;
	return `${scheme}://${host}`;
}

/**
 * Adds a source to img-src of the CSP <meta> tag of a prerendered page.
 *
 * @param {string} html
 * @param {string} source
 * @returns {string}
 */
export function withMetaImageSource(html, source) {
	return html.replace(/(<meta http-equiv="content-security-policy" content=")([^"]*)(")/i, (_all, open, policy, close) => {
		const directives = policy.split(';').map((/** @type {string} */ d) => d.trim());
		const i = directives.findIndex((/** @type {string} */ d) => d.startsWith('img-src '));
		if (i >= 0 && !directives[i].split(' ').includes(source)) directives[i] += ` ${source}`;
		return `${open}${directives.join('; ')}${close}`;
	});
}

/**
 * The prerendered pages of a build (`/field-shell` → its HTML).
 *
 * @param {string} dir build/prerendered
 * @returns {Map<string, string>}
 */
export function readPrerenderedPages(dir) {
	/** @type {Map<string, string>} */
	const pages = new Map();
	/** @param {string} sub */
	const walk = (sub) => {
		let entries;
		try {
			entries = readdirSync(path.join(dir, sub), { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const rel = path.posix.join(sub, entry.name);
			if (entry.isDirectory()) walk(rel);
			else if (entry.name.endsWith('.html')) {
				const route = `/${rel.replace(/(^|\/)index\.html$/, '').replace(/\.html$/, '')}`;
				pages.set(route, readFileSync(path.join(dir, rel), 'utf8'));
			}
		}
	};
	walk('');
	return pages;
}

/**
 * Sets the base headers (and STATIC_CSP) on every response of adapter-node's HTTP server before
 * its own handler runs. adapter-node's static file handler (sirv) and SvelteKit's responses both
 * write their headers afterwards, so they replace a header of the same name (the app's own CSP on
 * rendered pages) and keep the others.
 *
 * With a tile server on another origin, the prerendered pages are answered here, with that origin
 * added to the img-src of their CSP <meta> tag: the tag is written at build time, the tile
 * server is configured at run time, and the service worker answers every /field navigation with
 * the prerendered shell, so the field map would otherwise get no tiles.
 *
 * @param {import('node:http').Server} httpServer
 * @param {{ https: boolean, tileUrl?: string, prerenderedDir?: string }} opts
 */
export function protectEveryResponse(httpServer, opts) {
	const headers = [...baseSecurityHeaders(opts), ['Content-Security-Policy', STATIC_CSP]];
	const tileSource = tileImageSource(opts.tileUrl ?? '');
	/** @type {Map<string, Buffer>} */
	const pages = new Map();
	if (tileSource && opts.prerenderedDir) {
		for (const [route, html] of readPrerenderedPages(opts.prerenderedDir)) pages.set(route, Buffer.from(withMetaImageSource(html, tileSource)));
	}
	const handlers = httpServer.listeners('request');
	httpServer.removeAllListeners('request');
	httpServer.on('request', (req, res) => {
		for (const [name, value] of headers) res.setHeader(name, value);
		const pathname = (req.url ?? '/').split('?')[0];
		const page = (req.method === 'GET' || req.method === 'HEAD') && pages.get(pathname.replace(/\.html$/, ''));
		if (page) {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length, 'cache-control': 'no-cache' });
			res.end(req.method === 'HEAD' ? undefined : page);
			return;
		}
		for (const handler of handlers) handler.call(httpServer, req, res);
	});
}
