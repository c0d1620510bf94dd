import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureServiceWorker, fieldLogin, tabletOptions } from './field-helpers';

/** The installable app: manifest, icons, a service worker that controls the field app and caches no API data. */
test('manifest, icons and service worker make the field app installable and keep API data out of caches', async ({ page, request }) => {
	const manifest = await (await request.get('/manifest.webmanifest')).json();
	expect(manifest).toMatchObject({ short_name: '上门服务', start_url: '/field', display: 'standalone', theme_color: '#0b6e69' });
	const sizes = (manifest.icons as { sizes: string; purpose?: string; src: string }[]).map((i) => `${i.sizes}${i.purpose ? ' ' + i.purpose : ''}`);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
	for (const icon of manifest.icons as { src: string }[]) {
		const res = await request.get(icon.src);
		expect(res.status(), icon.src).toBe(200);
		expect(res.headers()['content-type']).toContain('image/png');
	}

	// Signs in and sets the app-lock PIN; later loads of the page pass the lock with it.
	await fieldLogin(page, 'staff1');
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload();
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	await expect(page.getByTestId('pending')).toContainText('待同步');
	const cached = await page.evaluate(async () => {
		const urls: string[] = [];
		for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
		return urls;
	});
	expect(cached.length).toBeGreaterThan(10);
	expect(cached).toContain('/field-shell');
	expect(cached.filter((u) => u.startsWith('/api/') || u.startsWith('/approvals') || u.startsWith('/requests'))).toEqual([]);

	// Under the worker (the shell answers the navigation), the question "who is signed in" starts
	// with the HTML's preload, and the app uses that answer: one request per load, none cached.
	const me: string[] = [];
	page.on('request', (r) => {
		if (new URL(r.url()).pathname === '/api/me') me.push(r.resourceType());
	});
	const unused: string[] = [];
	page.on('console', (msg) => {
		if (/preload/i.test(msg.text())) unused.push(msg.text());
	});
	await page.reload();
	await expect(page.getByTestId('pending')).toContainText('待同步');
	expect(await page.locator('link[rel=preload][href="/api/me"]').count()).toBe(1);
	expect(me).toEqual(['other']);
	expect(unused).toEqual([]);
});

/**
 * Issue 13, bug 1: Chromium must find the app installable — which needs the pages to LINK the
 * manifest. A persistent profile, because Chromium never installs from an off-the-record one
 * (Playwright's ordinary contexts are): the errors it reports there are about the profile.
 */
test('Chromium reports no installability errors on /field and reads the linked manifest: name, icons, start URL, standalone', async ({ baseURL }) => {
	test.setTimeout(90_000);
	const profile = mkdtempSync(path.join(os.tmpdir(), 'doorstep-install-'));
	const tablet = await chromium.launchPersistentContext(profile, tabletOptions(baseURL!));
	try {
		const page = tablet.pages()[0] ?? (await tablet.newPage());
		// Every page links it: the sign-in page an installing user meets first, too.
		await page.goto('/login');
		await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
		await fieldLogin(page, 'staff1');
		await ensureServiceWorker(page);
		const cdp = await tablet.newCDPSession(page);
		const { url, errors, data } = await cdp.send('Page.getAppManifest');
		expect(new URL(url).pathname).toBe('/manifest.webmanifest');
		expect(errors).toEqual([]);
		const manifest = JSON.parse(data ?? '{}') as { name: string; short_name: string; start_url: string; display: string; icons: { src: string; sizes: string }[] };
		expect(manifest).toMatchObject({ name: '上门服务 Doorstep', short_name: '上门服务', start_url: '/field', display: 'standalone' });
		expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
		// Chromium checks the manifest, icons and the service worker's control of the start URL.
		await expect
			.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId), { timeout: 30_000 })
			.toEqual([]);
	} finally {
		await tablet.close();
		rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // Chromium may still be writing as it exits
	}
});
