import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Unit and integration tests. Paraglide's messages are compiled beforehand (`npm run i18n`),
// so its watching Vite plugin is left out here: it would keep Vitest from exiting.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 120_000,
		maxWorkers: 2,
		// One throwaway PostgreSQL cluster per run, so the integration suite runs on both databases.
		globalSetup: ['tests/integration/global-setup.ts']
	}
});
