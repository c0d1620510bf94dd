import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Absolute asset paths: the service worker answers every /field/* URL with the one
		// prerendered shell, whose relative ./_app/ paths would otherwise resolve per URL.
		paths: { relative: false },
		// SvelteKit's own origin check on form posts is our CSRF protection for actions.
		csrf: { trustedOrigins: [] }
	}
};

export default config;
