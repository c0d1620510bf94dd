import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';
import { OWN_TILE_CACHE, OWN_TILE_MAX_ENTRIES, REMOTE_TILE_CACHE, REMOTE_TILE_MAX_ENTRIES, TILE_MAX_AGE_SECONDS } from './src/lib/map/tile-cache.ts';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
			cookieName: 'doorstep_lang'
		}),
		sveltekit(),
		SvelteKitPWA({
			strategies: 'generateSW',
			// A new version waits until the user chooses to reload: never in the middle of a visit.
			registerType: 'prompt',
			injectRegister: false,
			manifest: {
				name: '上门服务 Doorstep',
				short_name: '上门服务',
				description: '银行上门服务：申请、审批、排期与离线上门办理',
				lang: 'zh-CN',
				start_url: '/field',
				scope: '/',
				display: 'standalone',
				orientation: 'any',
				theme_color: '#0b6e69',
				background_color: '#f4f6f8',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{ src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			workbox: {
				// The app's code and the prerendered field shell only. No server-rendered page and no
				// API response is ever cached: they carry personal data.
				globPatterns: ['client/**/*.{js,css,svg,png,woff2,webmanifest}', 'prerendered/**/*.html'],
				navigateFallback: '/field-shell',
				// Workbox matches pathname + search: "/field?date=…" (the day list of a date) must match too.
				navigateFallbackAllowlist: [/^\/field(\/|\?|$)/],
				cleanupOutdatedCaches: true,
				// Background Sync 'sync' events wake the open field pages (static/sw-sync.js).
				importScripts: ['/sw-sync.js'],
				// Map tiles only (no personal data): cache-first, bounded in count and age. Our own
				// /tiles/ (also filled by "prepare for offline"), and cross-origin images, which in
				// this app are only a third-party tile source (opaque responses: status 0). Nothing
				// else at runtime: never /api/ (photos, visits), never a server-rendered page.
				runtimeCaching: [
					{
						urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/tiles/'),
						handler: 'CacheFirst',
						method: 'GET',
						options: {
							cacheName: OWN_TILE_CACHE,
							expiration: { maxEntries: OWN_TILE_MAX_ENTRIES, maxAgeSeconds: TILE_MAX_AGE_SECONDS, purgeOnQuotaError: true },
							cacheableResponse: { statuses: [200] }
						}
					},
					{
						urlPattern: ({ request, sameOrigin }) => !sameOrigin && request.destination === 'image',
						handler: 'CacheFirst',
						method: 'GET',
						options: {
							cacheName: REMOTE_TILE_CACHE,
							expiration: { maxEntries: REMOTE_TILE_MAX_ENTRIES, maxAgeSeconds: TILE_MAX_AGE_SECONDS, purgeOnQuotaError: true },
							cacheableResponse: { statuses: [0, 200] }
						}
					}
				],
				maximumFileSizeToCacheInBytes: 3 * 1024 * 1024
			},
			kit: { includeVersionFile: true }
		})
	],
	build: {
		// Rolldown's "[PLUGIN_TIMINGS]" report names the slowest plugin callbacks whenever a build
		// takes long — on a busy machine, every build, always SvelteKit's and the PWA plugin's
		// closeBundle (prerendering, writing the service worker). Nothing to act on: off.
		rolldownOptions: { checks: { bundlerTimings: false } }
	},
	server: { port: 5173 }
});
