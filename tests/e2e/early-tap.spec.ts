import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { login } from './helpers';

/**
 * A server-rendered page is on screen before its JavaScript runs. A button that only JavaScript
 * gives a job must not swallow a tap made in that moment (a head in a hurry on a slow tablet):
 * it takes the tap once the page is live. The app's start script is held back here, as a slow
 * connection or a busy tablet would.
 */
const zh = {
	...(JSON.parse(readFileSync('messages/zh.json', 'utf8')) as Record<string, string>),
	...(JSON.parse(readFileSync('messages/admin/zh.json', 'utf8')) as Record<string, string>)
};
const HOLD_MS = 2_000;

test('a tap on a script-only button before the page is live opens its dialog once it is', async ({ page }) => {
	await login(page, 'admin');
	let held = 0;
	await page.route('**/_app/immutable/entry/start.*.js', async (route) => {
		held++;
		await new Promise((r) => setTimeout(r, HOLD_MS));
		await route.continue();
	});
	// A full page load (not a client-side navigation): the server's HTML first, the script later.
	await page.goto('/admin/services', { waitUntil: 'commit' });
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'pin_reset', exact: true }) });
	await expect(row).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.dataset.live), 'tapped before the page is live').toBeUndefined();
	await row.getByRole('button', { name: zh.admin_edit }).click();
	const dialog = page.getByRole('dialog', { name: zh.admin_service_edit });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel(zh.admin_service_duration)).toHaveValue(/^\d+$/);
	expect(held, 'the start script was held back').toBe(1);
});
