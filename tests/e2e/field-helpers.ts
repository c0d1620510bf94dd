import { expect, request, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { takeRequiredPhotos } from './photo-helpers';
import Database from 'better-sqlite3';
import { parse as devalueParse } from 'devalue';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { makeResidentId } from '../../src/lib/domain/resident-id';
import { DEMO_PASSWORD, login, shanghaiDate } from './helpers';

/*
 * Helpers of the offline field-app suites (offline, conflict, shared tablet): the browser the
 * config uses, a server process of our own that a test can stop and start again (the network
 * "cut" at the server), requests made and decided through the real server's forms, and the steps
 * of a visit as a team taps them on the tablet.
 */

// ---------------------------------------------------------------------------------------------
// The browser

export { chromiumArgs, systemChromium } from './browser';
import { chromiumArgs, systemChromium } from './browser';

/** Context options of the field tablet (the config's `use`, minus what a persistent context lacks). */
export function tabletOptions(baseURL: string) {
	return {
		baseURL,
		executablePath: systemChromium,
		args: chromiumArgs,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		viewport: { width: 1180, height: 820 },
		permissions: ['geolocation'],
		geolocation: { latitude: 30.15712, longitude: 120.25785, accuracy: 12 }
	};
}

// ---------------------------------------------------------------------------------------------
// A server of our own

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * `node scripts/e2e-server.js` on a port and data folder of the test's own. `stop()` cuts the
 * tablet off the server for real (connection refused); `start()` again keeps the data.
 */
export class OwnServer {
	private child: ChildProcess | null = null;
	private output = '';
	readonly baseURL: string;
	readonly dataDir: string;

	constructor(
		readonly port: number,
		dataDir: string
	) {
		this.baseURL = `http://127.0.0.1:${port}`;
		this.dataDir = path.resolve(dataDir);
	}

	async start(keepData: boolean): Promise<void> {
		// E2E_SERVER_ROOT: serve another checkout's build (e.g. to try an app fix); default: this one.
		const root = path.resolve(process.env.E2E_SERVER_ROOT ?? '.');
		const child = spawn(process.execPath, [path.join(root, 'scripts/e2e-server.js')], {
			cwd: root,
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.baseURL,
				E2E_DATA_DIR: this.dataDir,
				E2E_KEEP_DATA: keepData ? '1' : '0'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		child.stdout?.on('data', (d) => (this.output += String(d)));
		child.stderr?.on('data', (d) => (this.output += String(d)));
		const deadline = Date.now() + 60_000;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`e2e server exited (${child.exitCode}):\n${this.output}`);
			try {
				const res = await fetch(`${this.baseURL}/login`);
				if (res.ok) return;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) throw new Error(`e2e server did not start:\n${this.output}`);
			await new Promise((r) => setTimeout(r, 150));
		}
	}

	/** Kills the process and waits until the port refuses connections. */
	async stop(): Promise<void> {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGKILL');
		await exited;
		await expect
			.poll(async () => {
				try {
					await fetch(`${this.baseURL}/login`);
					return 'up';
				} catch {
					return 'down';
				}
			})
			.toBe('down');
	}

	db() {
		return new Database(path.join(this.dataDir, 'doorstep.sqlite'), { readonly: true, fileMustExist: true });
	}
}

/** A read-only look at a server's SQLite file; closed after `fn`. */
export function withDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
	const db = new Database(path.join(path.resolve(dataDir), 'doorstep.sqlite'), { readonly: true, fileMustExist: true });
	try {
		return fn(db);
	} finally {
		db.close();
	}
}

export function userId(dataDir: string, username: string): string {
	return withDb(dataDir, (db) => (db.prepare('select id from users where username = ?').get(username) as { id: string }).id);
}

// ---------------------------------------------------------------------------------------------
// The office side, over HTTP (the same form actions the pages post)

type Form = Record<string, string | string[]>;

/** A signed-in HTTP client of an office user (worker, head) of the server at `baseURL`. */
export async function officeClient(baseURL: string, username: string): Promise<APIRequestContext> {
	const ctx = await request.newContext({ baseURL });
	const r = await ctx.post('/login', { maxRedirects: 0, form: { username, password: DEMO_PASSWORD }, headers: { origin: baseURL, accept: 'text/html' } });
	expect(r.status(), `sign in as ${username}`).toBe(303);
	return ctx;
}

/** Posts a form action the way `use:enhance` does; returns the redirect target. */
export async function postAction(ctx: APIRequestContext, baseURL: string, url: string, form: Form): Promise<string> {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
	const r = await ctx.post(url, {
		maxRedirects: 0,
		data: body.toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-sveltekit-action': 'true', origin: baseURL }
	});
	const text = await r.text();
	const json = JSON.parse(text) as { type?: string; location?: string; data?: string };
	const errors = json.type === 'failure' && json.data ? JSON.stringify((devalueParse(json.data) as { errors?: unknown }).errors) : text.slice(0, 400);
	expect(json.type, `${url}: ${errors}`).toBe('redirect');
	return json.location!;
}

export interface PlannedVisit {
	requestId: string;
	visitId: string;
	ref: string;
	residentName: string;
	date: string;
	start: string;
	end: string;
}

/** The resident's pin (高桥路, 城厢街道); the fake tablet position is about 10 m from it. */
export const RESIDENT_PIN = { lat: 30.1571, lng: 120.2578 };

/** How a spec reads the server's database: the demo's SQLite file, or PostgreSQL (cluster). */
export interface ServerLookups {
	userId(username: string): Promise<string> | string;
	scheduledVisit(requestId: string): Promise<{ visitId: string; ref: string }> | { visitId: string; ref: string };
}

export const sqliteLookups = (dataDir: string): ServerLookups => ({
	userId: (username) => userId(dataDir, username),
	scheduledVisit: (requestId) =>
		withDb(dataDir, (db) => db.prepare(`select v.id as visitId, r.ref from visits v join requests r on r.id = v.request_id where r.id = ? and v.status = 'scheduled'`).get(requestId) as { visitId: string; ref: string })
});

/**
 * worker1 requests a visit (PIN reset) for a NEW resident with a unique name, and head1 approves
 * it for `date start–end` with `lead` and `second`. Returns the ids read from the server's DB
 * (`dataDir`: the SQLite demo; or lookups of another database).
 */
export async function planVisit(
	baseURL: string,
	dataDir: string | ServerLookups,
	opts: { date: string; start: string; end: string; lead: string; second: string; tag: string }
): Promise<PlannedVisit> {
	const lookups = typeof dataDir === 'string' ? sqliteLookups(dataDir) : dataDir;
	const suffix = String(Date.now()).slice(-3);
	const residentName = `${opts.tag}${suffix}`;
	const worker = await officeClient(baseURL, 'worker1');
	let target: string;
	try {
		target = await postAction(worker, baseURL, '/requests/new', {
			residentMode: 'new',
			'resident.name': residentName,
			'resident.phone': '13800001234',
			'resident.idNumber': makeResidentId('330109', '1940-02-11', suffix),
			'resident.district': '城厢街道',
			'resident.address': `杭州市萧山区城厢街道高桥路 ${Number(suffix) % 90 + 1} 号`,
			'resident.mobility': 'limited',
			'resident.placeType': 'home',
			'resident.lat': String(RESIDENT_PIN.lat),
			'resident.lng': String(RESIDENT_PIN.lng),
			services: 'pin_reset',
			'windows.0.date': opts.date,
			'windows.0.start': opts.start,
			'windows.0.end': opts.end,
			'windows.1.date': shanghaiDate(20),
			'windows.1.start': '14:00',
			'windows.1.end': '16:00',
			urgency: 'normal',
			notes: '',
			consentBy: 'resident',
			consentName: residentName,
			consentAgreed: 'true'
		});
	} finally {
		await worker.dispose();
	}
	const requestId = /\/requests\/([^/?]+)/.exec(target)![1];
	const head = await officeClient(baseURL, 'head1');
	try {
		await postAction(head, baseURL, `/approvals/${requestId}?/approve`, {
			date: opts.date,
			start: opts.start,
			end: opts.end,
			leadStaffId: await lookups.userId(opts.lead),
			secondStaffId: await lookups.userId(opts.second)
		});
	} finally {
		await head.dispose();
	}
	const row = await lookups.scheduledVisit(requestId);
	return { requestId, visitId: row.visitId, ref: row.ref, residentName, date: opts.date, start: opts.start, end: opts.end };
}

/** head1 cancels the approved visit of a request with a reason (the "取消上门" form). */
export async function cancelAsHead(baseURL: string, requestId: string, reason: string): Promise<void> {
	const head = await officeClient(baseURL, 'head1');
	try {
		const target = await postAction(head, baseURL, `/approvals/${requestId}?/cancel`, { reason });
		expect(target).toContain('done=cancel');
	} finally {
		await head.dispose();
	}
}

// ---------------------------------------------------------------------------------------------
// The tablet

/** The 6-digit app-lock PIN every e2e staff member uses (not a weak PIN, see pin-policy.ts). */
export const TEST_PIN = '472951';

/** First sign-in on this tablet: sets the app-lock PIN (twice). */
export async function setPin(page: Page, pin = TEST_PIN) {
	const lock = page.getByTestId('device-lock');
	await expect(lock).toHaveAttribute('data-lock', 'setup_pin');
	await page.locator('#pin-new').fill(pin);
	await page.locator('#pin-confirm').fill(pin);
	await lock.getByRole('button', { name: /^(设置密码|Set PIN)$/ }).click();
	await expect(lock).toBeHidden({ timeout: 15_000 });
}

/** Unlocks the locked field app with the PIN (works offline). */
export async function unlockWithPin(page: Page, pin = TEST_PIN) {
	const lock = page.getByTestId('device-lock');
	await expect(lock).toHaveAttribute('data-lock', 'locked');
	await page.locator('#pin-unlock').fill(pin);
	await lock.getByRole('button', { name: /^(解锁|Unlock)$/ }).click();
	await expect(lock).toBeHidden({ timeout: 15_000 });
}

/**
 * After a full page load of the field app: waits until the session has started and passes the
 * app lock (PIN setup at the first sign-in on this tablet, else the PIN). Other pages: nothing.
 */
export async function passLock(page: Page, pin = TEST_PIN) {
	if (!new URL(page.url()).pathname.startsWith('/field')) return;
	const main = page.locator('main[data-session]');
	await expect(main).not.toHaveAttribute('data-session', 'starting', { timeout: 15_000 });
	const state = await main.getAttribute('data-session');
	if (state === 'setup_pin') await setPin(page, pin);
	else if (state === 'locked') await unlockWithPin(page, pin);
}

const lockAware = new WeakSet<Page>();

/**
 * Every full load of a field page (goto, reload) opens the app locked, as on a real tablet: the
 * data key lives only in memory. The specs are about other things, so their pages pass the lock
 * after each load, with the PIN, like the staff member would.
 */
export function passLockOnLoad(page: Page) {
	if (lockAware.has(page)) return;
	lockAware.add(page);
	const goto = page.goto.bind(page);
	const reload = page.reload.bind(page);
	page.goto = async (...args: Parameters<Page['goto']>) => {
		const res = await goto(...args);
		await passLock(page);
		return res;
	};
	page.reload = async (...args: Parameters<Page['reload']>) => {
		const res = await reload(...args);
		await passLock(page);
		return res;
	};
}

const lockAwareContexts = new WeakSet<BrowserContext>();

/** Signs in through the login page, lands in the field app and passes the app lock. */
export async function fieldLogin(page: Page, username: string) {
	await login(page, username);
	await expect(page).toHaveURL(/\/field/);
	await passLock(page);
	passLockOnLoad(page);
	const context = page.context();
	if (!lockAwareContexts.has(context)) {
		lockAwareContexts.add(context);
		for (const p of context.pages()) passLockOnLoad(p);
		context.on('page', passLockOnLoad);
	}
}

/** From the day list of `date`, opens the visit of `residentName`, as staff get there. */
export async function openVisitFromDayList(page: Page, date: string, residentName: string) {
	await page.goto(`/field?date=${date}`);
	await page.locator('article.visit', { hasText: residentName }).getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(residentName);
}

/** Waits until the service worker is active, then reloads once so it controls the page. */
export async function ensureServiceWorker(page: Page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** The number in the sync bar's "待同步 N 项". */
export async function pendingCount(page: Page): Promise<number> {
	const text = (await page.getByTestId('pending').textContent()) ?? '';
	const n = /(\d+)/.exec(text);
	if (!n) throw new Error(`no pending count in "${text}"`);
	return Number(n[1]);
}

/** The names of the IndexedDB databases of the page's origin. */
export async function databaseNames(page: Page): Promise<string[]> {
	return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** Draws a signature with the mouse: two strokes across the pad. */
export async function drawSignature(page: Page) {
	const canvas = page.getByLabel('签名区域');
	// The pad takes strokes once it is attached to the canvas.
	await expect(canvas).toHaveAttribute('data-ready', 'true');
	const strokes = [
		[
			[0.15, 0.6],
			[0.25, 0.3],
			[0.35, 0.7],
			[0.45, 0.35],
			[0.55, 0.65]
		],
		[
			[0.6, 0.4],
			[0.7, 0.6],
			[0.85, 0.45]
		]
	];
	for (const stroke of strokes) {
		// Where the canvas is now: the sync bar above it may have grown a line since the last stroke.
		// hover() waits until the canvas is still and is what the pointer would hit there.
		const [x0, y0] = stroke[0];
		const box = (await canvas.boundingBox())!;
		await canvas.hover({ position: { x: box.width * x0, y: box.height * y0 } });
		const at = (await canvas.boundingBox())!;
		await page.mouse.down();
		for (const [x, y] of stroke.slice(1)) await page.mouse.move(at.x + at.width * x, at.y + at.height * y, { steps: 6 });
		await page.mouse.up();
	}
	// The pad holds ink: its "sign again" button is there to use.
	await expect(page.getByRole('button', { name: '重新签名' })).toBeEnabled();
}

/**
 * The whole visit on the tablet page `/field/visits/<id>` (already open): travel and check-in,
 * the PIN-reset checklist and outcome, consent with a drawn signature, the overall outcome, both
 * team members' confirmations, finish.
 */
export async function workVisit(page: Page, team: { lead: string; second: string }, note = '客户已重置密码，一切顺利') {
	const stepButton = (name: string) => page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name, exact: true });

	// 1. travel and arrival (geolocation permission and position are set on the context)
	await stepButton('1. 出发与到达').click();
	await page.getByRole('button', { name: '出发', exact: true }).click();
	await expect(page.getByText(/已于 .* 出发/)).toBeVisible();
	await page.getByRole('button', { name: '到达签到（记录位置）' }).click();
	await expect(page.getByText(/已于 .* 到达（定位精度约 12 米）/)).toContainText(/距居民住址标记 \d+ 米/);

	// 2. services: every checklist item, then done
	await page.getByRole('button', { name: '下一步' }).click();
	await expect(stepButton('2. 办理业务')).toHaveAttribute('aria-current', 'step');
	const items = page.locator('section.step fieldset input[type=checkbox]');
	const n = await items.count();
	expect(n).toBeGreaterThan(0);
	for (let i = 0; i < n; i++) {
		await items.nth(i).check();
		await expect(items.nth(i)).toBeChecked();
	}
	await page.getByRole('radio', { name: '已办理' }).check();
	await expect(page.getByRole('radio', { name: '已办理' })).toBeChecked();

	// 3. photos: every kind the visit's services require, with the fake camera
	await takeRequiredPhotos(page);

	// 4. consent: the resident signs on the canvas, the team saves it
	await page.getByRole('button', { name: '下一步' }).click();
	await expect(stepButton('4. 知情同意与签名')).toHaveAttribute('aria-current', 'step');
	await drawSignature(page);
	await page.getByRole('button', { name: '确认签名' }).click();
	await expect(page.getByText('签名已保存在本平板上。')).toBeVisible();

	// 5. outcome, notes, both confirmations, finish
	await page.getByRole('button', { name: '下一步' }).click();
	await expect(stepButton('5. 结果与确认')).toHaveAttribute('aria-current', 'step');
	await page.getByRole('radio', { name: '已完成' }).check();
	await page.fill('#finish-note', note);
	await page.getByRole('checkbox', { name: `我（${team.lead}）确认以上记录属实` }).check();
	await page.getByRole('checkbox', { name: `我（${team.second}）确认以上记录属实` }).check();
	await page.getByRole('button', { name: '完成上门' }).click();
	await expect(page.getByText(/上门已完成：已完成/)).toBeVisible();
}

/** Makes the page's sync engine see the network come back (the browser's own online event). */
export async function networkBack(context: BrowserContext) {
	await context.setOffline(true);
	await context.setOffline(false);
}

/** Locks the field app with its button, as staff do before putting the tablet away. */
export async function lockNow(page: Page) {
	await page.getByRole('button', { name: '锁定', exact: true }).click();
	await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked');
}

/**
 * staff1 signs in, opens the visit from the day list and does all of it offline (photos,
 * signature, outcome, `note`), then locks: a locked tablet with unsynced work.
 */
export async function lockedWithUnsyncedVisit(page: Page, date: string, residentName: string, note: string) {
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await openVisitFromDayList(page, date, residentName);
	await page.context().setOffline(true);
	await workVisit(page, { lead: '王晓东', second: '李婷' }, note);
	await lockNow(page);
}

/** The address the server holds for the resident named `name` (planVisit makes names unique). */
export function residentAddress(dataDir: string, name: string): string {
	return withDb(dataDir, (db) => (db.prepare('select address from residents where name = ?').get(name) as { address: string }).address);
}
