import { expect, request, test, type Page } from '@playwright/test';
import path from 'node:path';
import { tileOf } from '../../src/lib/map/tile-math';
import { makeMbtiles, tilesAround } from '../fixtures/make-mbtiles';
import { shanghaiDate } from './helpers';
import { ensureServiceWorker, fieldLogin, freePort, OwnServer, planVisit, RESIDENT_PIN, tabletOptions } from './field-helpers';

/**
 * Offline map tiles, in real Chromium against the real server: Doorstep serves tiles from an
 * MBTiles file the test generates; "prepare for offline" downloads the tiles around the day's
 * stops with a progress bar (and can be cancelled); the field route map loads tiles from
 * /tiles; then the server goes away and the map still shows them from the service worker's
 * cache — including a street zoom level the user never viewed, which only the download put there.
 *
 * The shared e2e server runs without a tile source (other suites check the forms work without
 * a map), so this test runs its own server with TILE_URL=/tiles/{z}/{x}/{y}.
 */
const DATA_DIR = '.tmp/e2e-tiles-own';
const MBTILES = path.resolve('.tmp/e2e-tiles-mbtiles/district.mbtiles');

/** Tile images of the map that the browser decoded (from the network or the worker's cache). */
async function drawnTiles(page: Page, zoom?: number): Promise<string[]> {
	return page.locator('img.leaflet-tile').evaluateAll(
		(imgs, z) =>
			(imgs as HTMLImageElement[])
				.filter((img) => img.complete && img.naturalWidth > 0 && new URL(img.src).pathname.startsWith(z == null ? '/tiles/' : `/tiles/${z}/`))
				.map((img) => new URL(img.src).pathname),
		zoom
	);
}

const cachedTileCount = (page: Page) =>
	page.evaluate(async () => (await (await caches.open('doorstep-tiles')).keys()).filter((r) => new URL(r.url).pathname.startsWith('/tiles/')).length);

test('the field map shows cached tiles while the server is unreachable; "prepare for offline" downloads street levels', async ({ browser }) => {
	test.setTimeout(120_000);
	// The district around the demo homes at zoom 12–17 (a bank-approved extract, in miniature).
	makeMbtiles(MBTILES, { tiles: tilesAround(RESIDENT_PIN, 5, [12, 13, 14, 15, 16, 17]) });
	const server = new OwnServer(await freePort(), DATA_DIR);
	const tileEnv = { TILE_URL: '/tiles/{z}/{x}/{y}', TILE_ATTRIBUTION: '© 测试地图', TILE_APPROVAL_NO: 'GS(2099)0001号', TILE_MAX_ZOOM: '18', MBTILES_PATH: MBTILES };
	const saved = Object.fromEntries(Object.keys(tileEnv).map((k) => [k, process.env[k]]));
	Object.assign(process.env, tileEnv); // read by the server process at spawn only
	try {
		await server.start(false);
	} finally {
		for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
	}
	const context = await browser.newContext(tabletOptions(server.baseURL));
	try {
		const today = shanghaiDate(0);
		const visit = await planVisit(server.baseURL, DATA_DIR, { date: today, start: '18:30', end: '19:30', lead: 'staff1', second: 'staff2', tag: '地图老人' });

		// Tiles are behind sign-in: 401 (never a login page a cache could keep as a "tile").
		const anonymous = await request.newContext({ baseURL: server.baseURL });
		const z16 = tileOf(RESIDENT_PIN, 16);
		expect((await anonymous.get(`/tiles/16/${z16.x}/${z16.y}`)).status()).toBe(401);
		await anonymous.dispose();

		const page = await context.newPage();
		await fieldLogin(page, 'staff1');
		await ensureServiceWorker(page);

		// 1. The route map loads its tiles from /tiles, with the attribution and approval number, and
		// the service worker keeps the tiles viewed (before any download).
		await page.goto(`/field/route?date=${today}`);
		const map = page.getByTestId('route-map');
		await expect(map).toBeVisible();
		await expect.poll(async () => (await drawnTiles(page)).length, { timeout: 15_000 }).toBeGreaterThan(3);
		await expect(map.locator('.leaflet-control-attribution')).toContainText('© 测试地图 · 审图号：GS(2099)0001号');
		await expect.poll(() => cachedTileCount(page)).toBeGreaterThan(3);

		// 2. "Prepare for offline" on the field home: our own source allows it. Tiles are slowed a
		// little so the progress bar and cancel can be seen (a tablet on a mobile network).
		let slowed = 0;
		await context.route('**/tiles/**', async (route) => {
			slowed++;
			await new Promise((r) => setTimeout(r, 300));
			await route.continue();
		});
		await page.goto(`/field?date=${today}`);
		await expect(page.locator('article.visit', { hasText: visit.residentName })).toBeVisible();
		const prep = page.getByTestId('offline-map-prep');
		await expect(prep).toContainText(/当天 \d+ 个站点周边，缩放级别 13–17：\d+ 张地图瓦片/);
		const planned = Number(/(\d+) 张地图瓦片/.exec((await prep.textContent()) ?? '')![1]);
		expect(planned).toBeGreaterThan(20);

		await prep.getByRole('button', { name: '准备离线地图' }).click();
		const bar = prep.getByRole('progressbar', { name: '离线地图下载进度' });
		await expect(bar).toBeVisible();
		await expect(prep).toContainText(new RegExp(`已下载 \\d+ / ${planned}`));
		await prep.getByRole('button', { name: '取消下载' }).click();
		await expect(prep.getByRole('status')).toHaveText('已取消；已下载的部分会保留。');
		expect(slowed, 'the downloads went over the network').toBeGreaterThan(0);

		await prep.getByRole('button', { name: '准备离线地图' }).click();
		await expect(bar).toBeVisible();
		await expect(prep.getByRole('status')).toContainText('离线地图已准备好', { timeout: 60_000 });
		await context.unroute('**/tiles/**');
		// Tiles outside the extract are reported, not hidden; everything the server has is cached.
		const saved17 = tileOf(RESIDENT_PIN, 17);
		await expect.poll(() => cachedTileCount(page)).toBeGreaterThanOrEqual(planned * 0.9);
		expect(await page.evaluate(async (url) => !!(await (await caches.open('doorstep-tiles')).match(url)), `/tiles/17/${saved17.x}/${saved17.y}`)).toBe(true);

		// 3. The server goes away (connection refused) and the tablet is offline: the map opens from
		// the service worker and still shows its tiles from the cache.
		await server.stop();
		await context.setOffline(true);
		await page.goto(`/field/route?date=${today}`);
		await expect(map).toBeVisible();
		await expect(page.getByText('底图暂不可用')).toHaveCount(0);
		await expect.poll(async () => (await drawnTiles(page)).length, { timeout: 15_000 }).toBeGreaterThan(3);

		// 4. Zoom in to a level never viewed: only "prepare for offline" put those tiles there.
		const before = await drawnTiles(page, 17);
		expect(before).toEqual([]);
		await map.locator('a.leaflet-control-zoom-in').click();
		await expect.poll(async () => (await drawnTiles(page, 17)).length, { timeout: 15_000 }).toBeGreaterThan(3);
	} finally {
		await context.close();
		await server.stop();
	}
});
