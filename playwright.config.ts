import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, systemChromium } from './tests/e2e/browser';

/**
 * End-to-end tests drive the real built server (adapter-node) on a fresh SQLite data folder with
 * demo data, in real Chromium. On machines without a downloadable browser we use Debian's
 * Chromium; elsewhere Playwright's own browser.
 */
const port = Number(process.env.E2E_PORT ?? 4173);
// Every e2e server of this run copies its output here; log-scan.ts searches it afterwards.
process.env.E2E_LOG_DIR ??= `.tmp/e2e-logs-${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	// After the whole run: no personal data or secrets in what the servers logged.
	globalTeardown: './tests/e2e/log-scan.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	forbidOnly: !!process.env.CI,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		trace: 'retain-on-failure',
		...devices['Desktop Chrome'],
		viewport: { width: 1180, height: 820 },
		launchOptions: {
			executablePath: systemChromium,
			args: chromiumArgs
		}
	},
	webServer: {
		command: `node --expose-gc scripts/e2e-server.js`,
		url: `http://127.0.0.1:${port}/login`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		env: { PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}`, E2E_LOG_DIR: process.env.E2E_LOG_DIR }
	}
});
