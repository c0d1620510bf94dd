import nodeAdapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * adapter-node, without its Rollup's 'Generated an empty chunk: "chunks/env.js"' lines (also
 * internal2.js, leaflet.js). It re-bundles Vite's server output keeping every file as its own
 * chunk (its manualChunks); three files are empty once tree-shaken — SvelteKit's own env and
 * app-env modules, and the Leaflet chunk, which only the browser uses — and Rollup says so for
 * each. An empty chunk is harmless and the adapter takes no Rollup options, so exactly that
 * message is dropped while it runs; every other warning is printed as before.
 * @param {import('@sveltejs/adapter-node').AdapterOptions} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter(options) {
	const inner = nodeAdapter(options);
	return {
		...inner,
		async adapt(builder) {
			const warn = console.warn;
			console.warn = (...args) => {
				if (args.length === 1 && /^Generated an empty chunk: "[^"]+"\.$/.test(String(args[0]))) return;
				warn(...args);
			};
			try {
				await inner.adapt(builder);
			} finally {
				console.warn = warn;
			}
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Absolute asset paths: the service worker answers every /field/* URL with the one
		// prerendered shell, whose relative ./_app/ paths would otherwise resolve per URL.
		paths: { relative: false },
		// SvelteKit's own origin check on form posts; the handle hook checks every other write
		// (src/lib/server/security/csrf.ts).
		csrf: { trustedOrigins: [] },
		prerender: {
			// The field shell preloads /api/me (hooks.server.ts), which the prerenderer follows like
			// a link and, signed in as nobody, gets 401 for: expected, not a broken link.
			handleHttpError: ({ path, status, message }) => {
				if (path === '/api/me' && status === 401) return;
				throw new Error(message);
			}
		},
		// Content-Security-Policy: nonces on rendered pages, hashes in a <meta> tag on the
		// prerendered field shell ('auto'). The hook adds the configured tile server to img-src at
		// run time (src/lib/server/http/headers.ts); frame-ancestors comes as a header on every
		// response (src/lib/server/security/base-headers.js), a <meta> tag cannot carry it.
		// style-src needs 'unsafe-inline': Svelte and SvelteKit write style attributes (a team's
		// colour on the dispatch board, the route announcer, app.html's wrapper) and Leaflet's
		// panes; scripts stay strict.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				// data: the signature pad's PNG and Leaflet's bundled icons; blob: photo previews
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				// the camera preview (getUserMedia) and recorded blobs
				'media-src': ['self', 'blob:', 'mediastream:'],
				'manifest-src': ['self'],
				'frame-src': ['none'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
