import { expect, request, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_PASSWORD, expectAccessible, login, shanghaiDate } from './helpers';
import { drawSignature, ensureServiceWorker, fieldLogin, freePort, OwnServer, planVisit, tabletOptions } from './field-helpers';

/**
 * Security headers and the Content-Security-Policy on every kind of response, and the app still
 * working under them in real Chromium: sign-in, the field app under its service worker, the
 * in-app camera, the signature pad, and map tiles from a tile server on another origin (on a
 * server of this test's own, with TILE_URL set). Also the CSRF refusal of cross-site writes and
 * the 429s of the rate limits.
 */

const BASE_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), geolocation=(self), microphone=()',
	'cross-origin-opener-policy': 'same-origin'
};

function expectBaseHeaders(headers: Record<string, string>, what: string) {
	for (const [name, value] of Object.entries(BASE_HEADERS)) expect(headers[name], `${name} on ${what}`).toBe(value);
	// ORIGIN is http:// in the tests: no HSTS (it would pin a plain-http host to https).
	expect(headers['strict-transport-security'], `HSTS on ${what}`).toBeUndefined();
	expect(headers['content-security-policy'], `CSP on ${what}`).toContain("frame-ancestors 'none'");
}

/** The directives of a policy: `script-src` → ["'self'", "'nonce-…'"]. */
function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name, values])
	);
}

/** A page's own strict policy (SvelteKit's kit.csp), as rendered by the server. */
function expectPagePolicy(policy: string, what: string) {
	const d = directives(policy);
	expect(d.get('default-src'), what).toEqual(["'self'"]);
	expect(d.get('script-src')?.filter((s) => !s.startsWith("'nonce-") && !s.startsWith("'sha256-")), what).toEqual(["'self'"]);
	expect(d.get('script-src')?.join(' '), `${what}: no unsafe script sources`).not.toMatch(/unsafe|\*|https?:/);
	expect(d.get('object-src'), what).toEqual(["'none'"]);
	expect(d.get('base-uri'), what).toEqual(["'self'"]);
	expect(d.get('form-action'), what).toEqual(["'self'"]);
	expect(d.get('img-src'), what).toEqual(expect.arrayContaining(["'self'", 'data:', 'blob:']));
	expect(d.get('media-src'), what).toEqual(expect.arrayContaining(["'self'", 'blob:', 'mediastream:']));
	expect(d.get('worker-src'), what).toEqual(expect.arrayContaining(["'self'"]));
	expect(d.get('connect-src'), what).toEqual(["'self'"]);
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Collects CSP violations of every page of a context: the DOM event and Chromium's console line. */
async function watchCsp(context: BrowserContext): Promise<string[]> {
	const seen: string[] = [];
	await context.exposeBinding('__cspViolation', (_source, text: string) => void seen.push(text));
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			(window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(`${e.effectiveDirective} blocked ${e.blockedURI} on ${location.pathname}`);
		});
	});
	context.on('console', (msg) => {
		if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|create)/i.test(msg.text())) seen.push(`console: ${msg.text().slice(0, 300)}`);
	});
	return seen;
}

async function signedInApi(baseURL: string, username: string): Promise<APIRequestContext> {
	const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
	const r = await api.post('/login', { form: { username, password: DEMO_PASSWORD }, headers: { accept: 'text/html' }, maxRedirects: 0 });
	expect(r.status(), `sign in as ${username}`).toBe(303);
	return api;
}

test.describe('on the shared e2e server', () => {
	test('headers and CSP on a login page, an office page, the prerendered shell, the field app, an API answer and static files', async ({ baseURL }) => {
		const anonymous = await request.newContext({ baseURL });
		const head = await signedInApi(baseURL!, 'head1');
		const staff = await signedInApi(baseURL!, 'staff1');
		try {
			// Rendered pages: the full policy with a fresh nonce that the page's inline script carries.
			const nonces = new Set<string>();
			for (const [ctx, path] of [
				[anonymous, '/login'],
				[head, '/approvals'],
				[staff, '/field']
			] as const) {
				const res = await ctx.get(path, { maxRedirects: 0 });
				expect(res.status(), path).toBe(200);
				const headers = res.headers();
				expectBaseHeaders(headers, path);
				expect(headers['cache-control'], path).toBe('no-store');
				const policy = headers['content-security-policy'];
				expectPagePolicy(policy, path);
				const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
				expect(nonce, `${path}: a nonce in script-src`).toBeTruthy();
				nonces.add(nonce!);
				const html = await res.text();
				const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
				expect(scripts.length, `${path}: inline bootstrap script`).toBeGreaterThan(0);
				for (const attrs of scripts) expect(attrs, `${path}: every script carries the nonce`).toContain(`nonce="${nonce}"`);
			}
			expect(nonces.size, 'a new nonce per response').toBe(3);

			// The prerendered shell (served by adapter-node's static handler, no hook): base headers as
			// a header, the policy in a <meta> tag whose hash matches its inline script exactly.
			const shell = await anonymous.get('/field-shell');
			expect(shell.status()).toBe(200);
			expectBaseHeaders(shell.headers(), '/field-shell');
			const shellHtml = await shell.text();
			const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(shellHtml)?.[1];
			expect(meta, 'CSP meta tag in the shell').toBeTruthy();
			expectPagePolicy(meta!, '/field-shell <meta>');
			const inline = [...shellHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
			expect(inline.length).toBeGreaterThan(0);
			for (const body of inline) expect(directives(meta!).get('script-src'), 'hash of the inline script').toContain(sha256(body));

			// API answers: nothing may load.
			for (const [ctx, path, status] of [
				[anonymous, '/api/me', 401],
				[staff, '/api/me', 200],
				[staff, '/api/devices', 200]
			] as const) {
				const res = await ctx.get(path);
				expect(res.status(), path).toBe(status);
				expectBaseHeaders(res.headers(), path);
				expect(directives(res.headers()['content-security-policy']).get('default-src'), path).toEqual(["'none'"]);
				expect(res.headers()['cache-control'], path).toBe('no-store');
			}

			// Static files: a hashed build asset (cacheable), the service worker, the manifest, an icon.
			const loginHtml = await (await anonymous.get('/login')).text();
			const asset = /(\/_app\/immutable\/[^"]+\.js)/.exec(loginHtml)?.[1];
			expect(asset, 'a build asset linked from the login page').toBeTruthy();
			for (const path of [asset!, '/sw.js', '/manifest.webmanifest', '/icons/icon-192.png', '/favicon.svg']) {
				const res = await anonymous.get(path);
				expect(res.status(), path).toBe(200);
				expectBaseHeaders(res.headers(), path);
			}
			expect((await anonymous.get(asset!)).headers()['cache-control']).toContain('immutable');
		} finally {
			await Promise.all([anonymous.dispose(), head.dispose(), staff.dispose()]);
		}
	});

	test('rendered pages and JSON answers go out compressed for clients that take it; build assets come precompressed', async ({ baseURL }) => {
		const anonymous = await request.newContext({ baseURL });
		const head = await signedInApi(baseURL!, 'head1');
		try {
			for (const [ctx, path, type] of [
				[anonymous, '/login', 'text/html'],
				[head, '/approvals', 'text/html'],
				[head, '/api/requests', 'application/json']
			] as const) {
				for (const [accept, expected] of [
					['gzip, deflate, br', 'br'],
					['gzip', 'gzip'],
					['identity', undefined]
				] as const) {
					const res = await ctx.get(path, { headers: { 'accept-encoding': accept } });
					expect(res.status(), `${path} (${accept})`).toBe(200);
					const headers = res.headers();
					expect(headers['content-type'], path).toContain(type);
					expect(headers['content-encoding'], `${path} with Accept-Encoding: ${accept}`).toBe(expected);
					expect(headers['vary'], path).toMatch(/accept-encoding/i);
					// Decoded by the client, the answer is whole: the page ends, the JSON parses.
					const body = await res.text();
					if (type === 'text/html') expect(body.trimEnd().endsWith('</html>'), path).toBe(true);
					else expect(() => JSON.parse(body), path).not.toThrow();
				}
			}
			const loginHtml = await (await anonymous.get('/login')).text();
			const asset = /(\/_app\/immutable\/[^"]+\.js)/.exec(loginHtml)?.[1];
			const res = await anonymous.get(asset!, { headers: { 'accept-encoding': 'br, gzip' } });
			expect(res.headers()['content-encoding'], `${asset} from the build's .br file`).toBe('br');
		} finally {
			await Promise.all([anonymous.dispose(), head.dispose()]);
		}
	});

	test('cross-site writes are refused on every endpoint kind; same-origin ones pass', async ({ baseURL }) => {
		const staff = await signedInApi(baseURL!, 'staff1');
		try {
			const device = ((await (await staff.post('/api/devices', { data: { label: 'csrf test' } })).json()) as { id: string }).id;
			const evil = { origin: 'https://evil.example' };
			const push = await staff.post('/api/sync/push', { data: { mutations: [] }, headers: { ...evil, 'x-doorstep-device': device } });
			expect(push.status()).toBe(403);
			expect(await push.json()).toEqual({ message: 'security_err_cross_site' });
			const photo = await staff.put('/api/photos/00000000-0000-4000-8000-000000000000', { data: Buffer.from('x'), headers: { ...evil, 'content-type': 'image/jpeg' } });
			expect(photo.status()).toBe(403);
			// No Origin and no Sec-Fetch-Site: not a page of this app either. A translated sentence for forms.
			const bare = await request.newContext({ baseURL, storageState: await staff.storageState() });
			const logout = await bare.post('/logout', { maxRedirects: 0, headers: { accept: 'text/html' } });
			expect(logout.status()).toBe(403);
			expect(await logout.text()).toContain('该请求不是从本系统页面发出的');
			expectBaseHeaders(logout.headers(), 'a refusal');
			// A page's own fetch (Sec-Fetch-Site: same-origin) passes.
			const sameSite = await bare.post('/api/sync/push', { data: { mutations: [] }, headers: { 'sec-fetch-site': 'same-origin', 'x-doorstep-device': device } });
			expect(sameSite.status()).toBe(200);
			await bare.dispose();
			// Still signed in: the refused logout did nothing.
			expect((await staff.get('/api/me')).status()).toBe(200);
		} finally {
			await staff.dispose();
		}
	});

	test('no CSP violation while signing in and using the field app with its service worker, camera and signature pad', async ({ browser, baseURL }) => {
		test.setTimeout(120_000);
		const context = await browser.newContext({ ...tabletOptions(baseURL!), permissions: ['geolocation', 'camera'] });
		const violations = await watchCsp(context);
		try {
			const date = shanghaiDate(10);
			const visit = await planVisit(baseURL!, process.env.E2E_DATA_DIR || '.tmp/e2e-data', { date, start: '16:10', end: '17:00', lead: 'staff1', second: 'staff2', tag: '安全老人' });
			const page = await context.newPage();
			await fieldLogin(page, 'staff1');
			await ensureServiceWorker(page);
			await page.goto(`/field?date=${date}`);
			await page.locator('article.visit', { hasText: visit.residentName }).getByRole('link').click();
			await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);
			// The visit page came from the service worker's prerendered shell: its policy is the meta tag.
			expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
			const stepButton = (name: string) => page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name, exact: true });

			// Arrival with the position (geolocation), then the in-app camera: live video, shutter,
			// preview, processed in a worker, shown as a blob: thumbnail.
			await stepButton('1. 出发与到达').click();
			await page.getByRole('button', { name: '出发', exact: true }).click();
			await page.getByRole('button', { name: '到达签到（记录位置）' }).click();
			await expect(page.getByText(/已于 .* 到达/)).toBeVisible();
			await stepButton('3. 拍照核验').click();
			await page.getByRole('button', { name: '拍照：身份证人像面' }).click();
			const cam = page.getByRole('dialog', { name: '拍摄：身份证人像面' });
			await expect.poll(() => cam.locator('video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
			await cam.getByRole('button', { name: '拍摄', exact: true }).click();
			await expect(cam.getByRole('img', { name: '刚拍摄的照片预览' })).toBeVisible();
			await cam.getByRole('button', { name: '使用这张照片' }).click();
			const thumb = page.locator('li.slot[data-kind=id_front]').getByRole('img', { name: '身份证人像面缩略图' });
			await expect(thumb).toBeVisible({ timeout: 20_000 });
			await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

			// The signature pad: drawn on a canvas, kept as a data: PNG.
			await stepButton('4. 知情同意与签名').click();
			await drawSignature(page);
			await page.getByRole('button', { name: '确认签名' }).click();
			await expect(page.getByText('签名已保存在本平板上。')).toBeVisible();

			// Sync ran under the policy too (connect-src 'self').
			await page.getByRole('button', { name: '立即同步' }).click();
			await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 20_000 });
			expect(violations).toEqual([]);
		} finally {
			await context.close();
		}
	});
});

test('the admin revokes a tablet on the devices page; its next push is still applied and says so, its pull gets no data', async ({ browser, baseURL }) => {
	const staff = await signedInApi(baseURL!, 'staff6');
	const context = await browser.newContext({ baseURL });
	const violations = await watchCsp(context);
	try {
		const label = `平板 ${Date.now() % 100000}`;
		const device = ((await (await staff.post('/api/devices', { data: { label } })).json()) as { id: string }).id;
		const page = await context.newPage();
		await login(page, 'admin');
		await page.goto('/admin/users?q=staff6');
		await page.getByRole('link', { name: '设备 staff6' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('staff6');
		const row = page.getByRole('row').filter({ hasText: label });
		await expect(row).toContainText('使用中');
		await expectAccessible(page);
		await row.getByRole('button', { name: /撤销设备/ }).click();
		// Revoking wipes the tablet: the page asks first; cancel keeps it (issue 13).
		await expect(row).toContainText('然后清除本机上的全部上门数据');
		await row.getByRole('button', { name: '取消' }).click();
		await expect(row).toContainText('使用中');
		await row.getByRole('button', { name: /撤销设备/ }).click();
		await row.getByRole('button', { name: '确认撤销' }).click();
		await expect(page.getByRole('status')).toContainText('设备已撤销');
		await expect(row).toContainText('已撤销');
		await expect(row.getByRole('button', { name: /撤销设备/ })).toHaveCount(0);

		const push = await staff.post('/api/sync/push', { data: { mutations: [] }, headers: { 'x-doorstep-device': device } });
		expect(push.status()).toBe(200);
		expect(await push.json()).toEqual({ results: [], revoked: { reason: 'device_revoked', revokedAt: expect.any(String) } });
		const pull = await staff.post('/api/sync/pull', { data: { cursor: null }, headers: { 'x-doorstep-device': device } });
		expect(pull.status()).toBe(410);
		expect(await pull.json()).toMatchObject({ message: 'sync_err_revoked' });
		expect((await staff.post('/api/sync/wiped', { data: { unsyncedMutations: 0, unsyncedPhotos: 0 }, headers: { 'x-doorstep-device': device } })).status()).toBe(200);
		await page.reload();
		await expect(page.getByRole('row').filter({ hasText: label })).toContainText('已清除');
		expect(violations).toEqual([]);
	} finally {
		await staff.dispose();
		await context.close();
	}
});

/** A tile server on another origin: any path answers a 1×1 PNG. Counts what it served. */
async function startTileServer(): Promise<{ url: string; origin: string; served: () => number; close: () => Promise<void> }> {
	const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
	let served = 0;
	const server = http.createServer((req, res) => {
		if (req.url?.startsWith('/frame')) {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end(`<iframe id="app" src="${decodeURIComponent(req.url.split('?to=')[1] ?? '')}"></iframe>`);
			return;
		}
		served++;
		res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
		res.end(png);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url: `${origin}/{z}/{x}/{y}.png`, origin, served: () => served, close: () => new Promise((r) => server.close(() => r())) };
}

async function drawnTiles(page: Page, origin: string): Promise<number> {
	return page.locator('img.leaflet-tile').evaluateAll((imgs, o) => (imgs as HTMLImageElement[]).filter((img) => img.src.startsWith(o) && img.complete && img.naturalWidth > 0).length, origin);
}

test.describe('on a server of its own (tile server on another origin, low sync and upload rates)', () => {
	const DATA_DIR = '.tmp/e2e-security-own';
	let server: OwnServer;
	let tiles: Awaited<ReturnType<typeof startTileServer>>;

	test.beforeAll(async () => {
		test.setTimeout(120_000);
		tiles = await startTileServer();
		server = new OwnServer(await freePort(), DATA_DIR);
		const env = { TILE_URL: tiles.url, TILE_ATTRIBUTION: '© 测试瓦片', RATE_SYNC_PER_MINUTE: '3', RATE_UPLOADS_PER_MINUTE: '2' };
		const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
		Object.assign(process.env, env); // read by the server process at spawn only
		try {
			await server.start(false);
		} finally {
			for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
	});
	test.afterAll(async () => {
		await server?.stop();
		await tiles?.close();
	});

	test('map tiles from the configured origin load on the office map and the field map, with no CSP violation; the app refuses framing', async ({ browser }) => {
		test.setTimeout(120_000);
		const context = await browser.newContext({ ...tabletOptions(server.baseURL), permissions: ['geolocation'] });
		const violations = await watchCsp(context);
		try {
			// The tile origin is in img-src of rendered pages and of the served shell, and nowhere else.
			const anonymous = await request.newContext({ baseURL: server.baseURL });
			const loginPolicy = directives((await anonymous.get('/login')).headers()['content-security-policy']);
			expect(loginPolicy.get('img-src')).toContain(tiles.origin);
			expect(loginPolicy.get('connect-src')).toEqual(["'self'"]);
			const shellMeta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(await (await anonymous.get('/field-shell')).text())![1];
			expect(directives(shellMeta).get('img-src')).toContain(tiles.origin);
			await anonymous.dispose();

			// Office: the resident pin map on the new-request form.
			const office = await context.newPage();
			await login(office, 'worker1');
			await office.goto('/requests/new');
			await office.getByLabel('新居民', { exact: true }).check();
			await expect.poll(() => drawnTiles(office, tiles.origin), { timeout: 15_000 }).toBeGreaterThan(0);
			await office.close();

			// Field: the route map, inside the service worker's shell.
			const today = shanghaiDate(0);
			await planVisit(server.baseURL, DATA_DIR, { date: today, start: '18:30', end: '19:30', lead: 'staff3', second: 'staff2', tag: '瓦片老人' });
			await context.clearCookies();
			const page = await context.newPage();
			await fieldLogin(page, 'staff3');
			await ensureServiceWorker(page);
			await page.goto(`/field/route?date=${today}`);
			await expect(page.getByTestId('route-map')).toBeVisible();
			await expect.poll(() => drawnTiles(page, tiles.origin), { timeout: 15_000 }).toBeGreaterThan(0);
			expect(tiles.served()).toBeGreaterThan(0);
			expect(violations).toEqual([]);

			// Framing by another origin: the browser refuses to show the app.
			const framer = await context.newPage();
			await framer.goto(`${tiles.origin}/frame?to=${encodeURIComponent(`${server.baseURL}/login`)}`);
			await framer.waitForTimeout(1000);
			const frame = framer.frames().find((f) => f !== framer.mainFrame());
			expect(await frame?.locator('#username').count().catch(() => 0)).toBe(0);
			await framer.close();
		} finally {
			await context.close();
		}
	});

	test('sign-in failures, sync pushes and photo uploads are rate-limited: 429, Retry-After, a translated message', async () => {
		const base = server.baseURL;
		const api = await request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
		try {
			// 10 wrong passwords a minute from one address (spread over unknown usernames, so no
			// account lockout is involved), then even the right password waits.
			for (let i = 0; i < 10; i++) {
				const r = await api.post('/login', { form: { username: `nobody${i}`, password: 'wrong-password' }, headers: { accept: 'text/html' }, maxRedirects: 0 });
				expect(r.status(), `failure ${i + 1}`).toBe(400);
			}
			const limited = await api.post('/login', { form: { username: 'staff1', password: DEMO_PASSWORD }, headers: { accept: 'text/html' }, maxRedirects: 0 });
			expect(limited.status()).toBe(429);
			expect(Number(limited.headers()['retry-after'])).toBeGreaterThan(0);
			expect(await limited.text()).toMatch(/尝试次数过多，请 \d+ 秒后再试。/);
			expect(limited.headers()['set-cookie'] ?? '').not.toContain('doorstep_session');
		} finally {
			await api.dispose();
		}

		// Sync pushes per user (RATE_SYNC_PER_MINUTE=3 on this server). The address has used up its
		// sign-in budget above: the sign-in passes again once a token has come back (~6 s).
		const staff = await request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
		try {
			await expect
				.poll(async () => (await staff.post('/login', { form: { username: 'staff4', password: DEMO_PASSWORD }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status(), { timeout: 20_000, intervals: [2000] })
				.toBe(303);
			const device = ((await (await staff.post('/api/devices', { data: { label: 'rate test' } })).json()) as { id: string }).id;
			const statuses: number[] = [];
			let last = null as Awaited<ReturnType<APIRequestContext['post']>> | null;
			for (let i = 0; i < 4; i++) {
				last = await staff.post('/api/sync/push', { data: { mutations: [] }, headers: { 'x-doorstep-device': device } });
				statuses.push(last.status());
			}
			expect(statuses).toEqual([200, 200, 200, 429]);
			expect(Number(last!.headers()['retry-after'])).toBeGreaterThan(0);
			expect(await last!.json()).toEqual({ message: 'security_err_rate_limited' });
			// Pulls are not limited.
			expect((await staff.post('/api/sync/pull', { data: { cursor: null }, headers: { 'x-doorstep-device': device } })).status()).toBe(200);

			// Photo uploads per user (RATE_UPLOADS_PER_MINUTE=2): every PUT counts, refused or not.
			const uploads: number[] = [];
			let lastUpload = null as Awaited<ReturnType<APIRequestContext['put']>> | null;
			for (let i = 0; i < 3; i++) {
				lastUpload = await staff.put(`/api/photos/${crypto.randomUUID()}`, { data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), headers: { 'content-type': 'image/jpeg' } });
				uploads.push(lastUpload.status());
			}
			expect(uploads.slice(0, 2).every((s) => s >= 400 && s < 500 && s !== 429), `first two: ${uploads}`).toBe(true);
			expect(uploads[2]).toBe(429);
			expect(Number(lastUpload!.headers()['retry-after'])).toBeGreaterThan(0);
			expect(await lastUpload!.json()).toEqual({ message: 'security_err_rate_limited' });
		} finally {
			await staff.dispose();
		}
	});
});
