import { findSystemChromium } from '../../scripts/machine-tools.js';

/**
 * The browser of every end-to-end test: Debian's Chromium where it exists (no browser can be
 * downloaded on our machines), Playwright's own elsewhere; the flags keep it off the network
 * and give it a fake camera.
 */
export const systemChromium = findSystemChromium();
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
