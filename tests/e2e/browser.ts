import { existsSync } from 'node:fs';

/** Where Debian (and Ubuntu's older packages) put Chromium; scripts/test-prereqs.ts looks here too. */
export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The browser of every end-to-end test: Debian's Chromium where it exists (no browser can be
 * downloaded on our machines), Playwright's own elsewhere; the flags keep it off the network
 * and give it a fake camera.
 */
export const systemChromium = SYSTEM_CHROMIUM_PATHS.find((p) => existsSync(p));
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--use-fake-device-for-media-stream',
	'--use-fake-ui-for-media-stream'
];
