import { expect, test } from '@playwright/test';
import { fieldLogin } from './field-helpers';

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
});
