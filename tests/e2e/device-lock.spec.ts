import { expect, request, test, type Page } from '@playwright/test';
import { expectAccessible, login, shanghaiDate } from './helpers';
import { readFileSync } from 'node:fs';
import { ensureServiceWorker, fieldLogin, networkBack, planVisit, tabletOptions, TEST_PIN, unlockWithPin, workVisit } from './field-helpers';
import { devicePhotos, photoRows, storedFile } from './photo-flow-helpers';
import { makeResidentId } from '../../src/lib/domain/resident-id';

/**
 * Issue 6, the app lock: the field app locks on demand (and after idle time / in the background,
 * unit-tested in auto-lock), the lock screen replaces the pages, it opens offline with the PIN,
 * a wrong PIN is refused with the attempts left, and the visit goes on where it was.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation', 'camera'], geolocation });

const stepButton = (page: Page, name: string) => page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name, exact: true });

test('offline: lock, wrong PIN refused, right PIN: the visit continues at the same step with the same draft', async ({ page, context, baseURL }) => {
	test.setTimeout(120_000);
	const date = shanghaiDate(13 + test.info().repeatEachIndex);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '17:00', end: '18:00', lead: 'staff1', second: 'staff2', tag: '锁屏老人' });

	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await page.goto(`/field?date=${date}`);
	await page.locator('article.visit', { hasText: visit.residentName }).getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);

	// Offline, the team starts the visit: travel, arrival, the first checklist item.
	await context.setOffline(true);
	await stepButton(page, '1. 出发与到达').click();
	await page.getByRole('button', { name: '出发', exact: true }).click();
	await page.getByRole('button', { name: '到达签到（记录位置）' }).click();
	await expect(page.getByText(/已于 .* 到达/)).toBeVisible();
	await page.getByRole('button', { name: '下一步' }).click();
	await expect(stepButton(page, '2. 办理业务')).toHaveAttribute('aria-current', 'step');
	const first = page.locator('section.step fieldset input[type=checkbox]').first();
	await first.check();
	await expect(first).toBeChecked();

	// Lock: nothing of the visit is left on the page.
	await page.getByRole('button', { name: '锁定', exact: true }).click();
	const lock = page.getByTestId('device-lock');
	await expect(lock).toHaveAttribute('data-lock', 'locked');
	await expect(page.getByText(visit.residentName)).toHaveCount(0);
	await expect(page.getByRole('navigation', { name: '上门步骤' })).toHaveCount(0);

	// A wrong PIN: refused, with the attempts left; a malformed one: the format message.
	await page.locator('#pin-unlock').fill('385720');
	await lock.getByRole('button', { name: '解锁' }).click();
	await expect(page.getByTestId('device-lock-message')).toHaveText('密码错误，还可以再试 4 次。');
	await page.locator('#pin-unlock').fill('12');
	await lock.getByRole('button', { name: '解锁' }).click();
	await expect(page.getByTestId('device-lock-message')).toHaveText('密码必须是 6 位数字。');
	await expect(lock).toBeVisible();

	// The right PIN, still offline: the same visit, at the same step, with the same draft.
	expect(await page.evaluate(() => navigator.onLine)).toBe(false);
	await unlockWithPin(page, TEST_PIN);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);
	await expect(stepButton(page, '2. 办理业务')).toHaveAttribute('aria-current', 'step');
	await expect(page.locator('section.step fieldset input[type=checkbox]').first()).toBeChecked();
	await expect(page.getByText(/已于 .* 到达/)).toHaveCount(0); // (step 1 is not shown: we are at step 2)
	await stepButton(page, '1. 出发与到达').click();
	await expect(page.getByText(/已于 .* 到达/)).toBeVisible();
});

test('five wrong PINs: a warning before the last, then the PIN key is gone; an online sign-in recovers with a new PIN', async ({ page, baseURL }) => {
	test.setTimeout(90_000);
	await fieldLogin(page, 'staff3');
	await page.getByRole('button', { name: '锁定', exact: true }).click();
	const lock = page.getByTestId('device-lock');
	const message = page.getByTestId('device-lock-message');
	const wrong = async () => {
		await page.locator('#pin-unlock').fill('385720');
		await lock.getByRole('button', { name: '解锁' }).click();
	};
	for (const left of [4, 3, 2]) {
		await wrong();
		await expect(message).toHaveText(`密码错误，还可以再试 ${left} 次。`);
	}
	await wrong();
	await expect(message).toContainText('再错一次');
	await wrong();
	await expect(page.getByRole('alert').filter({ hasText: '密码错误次数过多' })).toBeVisible();
	// The right PIN no longer opens anything here, and nothing of the PIN or key is readable.
	const stored = await page.evaluate(() => Object.entries(localStorage).map(([k, v]) => `${k}=${v}`).join('\n'));
	expect(stored).not.toContain(TEST_PIN);
	expect(stored).toMatch(/"pin":null/);

	// The session cookie left on the tablet is not enough: the next load signs out first…
	await page.evaluate(() => location.assign('/field'));
	await page.waitForURL(/\/login/);
	// …and the real sign-in sets a new PIN; the data opens again (recovery secret).
	await fieldLogin(page, 'staff3');
	await expect(page.getByTestId('device-lock')).toHaveCount(0);
	await expect(page.getByTestId('pending')).toContainText('待同步');
	// The recovery secret is for the signed-in field worker only.
	const anonymous = await request.newContext({ baseURL });
	expect((await anonymous.get('/api/devices/secret')).status()).toBe(401);
	await anonymous.dispose();
	const own = await page.request.get('/api/devices/secret');
	expect(own.status()).toBe(200);
	expect(own.headers()['cache-control']).toContain('no-store');
});

/**
 * Every object store of every field database in this browser, read with the plain IndexedDB API
 * (no app code, no key), as text: JSON with Blobs, ArrayBuffers and byte arrays turned into
 * their bytes as latin1 characters, so one search finds plain values and JPEG bytes alike.
 */
async function dumpIndexedDb(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const bytes = (b: Uint8Array) => {
			let s = '';
			for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
			return s;
		};
		const flatten = async (v: unknown): Promise<unknown> => {
			if (v instanceof Blob) return { blob: bytes(new Uint8Array(await v.arrayBuffer())) };
			if (v instanceof ArrayBuffer) return { bytes: bytes(new Uint8Array(v)) };
			if (ArrayBuffer.isView(v)) return { bytes: bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
			if (Array.isArray(v)) return Promise.all(v.map(flatten));
			if (v && typeof v === 'object') return Object.fromEntries(await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await flatten(x)])));
			return v;
		};
		const out: unknown[] = [];
		for (const { name } of await indexedDB.databases()) {
			if (!name?.startsWith('doorstep-field-')) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open(name);
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			for (const store of Array.from(db.objectStoreNames)) {
				const rows = await new Promise<unknown[]>((resolve, reject) => {
					const r = db.transaction(store).objectStore(store).getAll();
					r.onsuccess = () => resolve(r.result);
					r.onerror = () => reject(r.error);
				});
				out.push({ store, rows: await flatten(rows) });
			}
			db.close();
		}
		return JSON.stringify(out);
	});
}

test('locked with unsynced work: a dump of IndexedDB shows no name, phone, resident ID, signature or photo bytes; unlocked, all of it reaches the server', async ({ page, context, baseURL }) => {
	test.setTimeout(180_000);
	const date = shanghaiDate(14 + test.info().repeatEachIndex);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '11:00', end: '12:00', lead: 'staff1', second: 'staff2', tag: '加密老人' });
	const idNumber = makeResidentId('330109', '1940-02-11', visit.residentName.slice(-3));
	const note = '老人血压偏高，已提醒家属复诊';
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await page.goto(`/field?date=${date}`);
	await page.locator('article.visit', { hasText: visit.residentName }).getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);

	// The whole visit offline: photos, signature, outcome and note stay on the tablet, unsynced.
	await context.setOffline(true);
	await workVisit(page, { lead: '王晓东', second: '李婷' }, note);
	await page.getByRole('button', { name: '锁定', exact: true }).click();
	await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked');

	const dump = await dumpIndexedDb(page);
	// The dump is the real store: the visit's rows and four sealed photos are in it.
	expect(dump).toContain(visit.visitId);
	expect((await devicePhotos(page, visit.visitId)).filter((p) => p.hasBlob)).toHaveLength(4);
	// (The tablet only ever gets the ID's last four and a masked form: neither may show.)
	for (const secret of [visit.residentName, '13800001234', idNumber, idNumber.slice(-4), note, 'data:image/png', 'iVBORw0KGgo', 'JFIF']) expect(dump, secret).not.toContain(secret);

	// Unlocked and online: the sealed work is handed over intact (server hash = stored file).
	await unlockWithPin(page, TEST_PIN);
	await networkBack(context);
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 30_000 });
	await expect.poll(() => photoRows(DATA_DIR, visit.visitId).length, { timeout: 30_000 }).toBe(4);
	// No 64-byte run of any of the real JPEGs was in the locked dump.
	for (const row of photoRows(DATA_DIR, visit.visitId)) {
		const jpeg = readFileSync(storedFile(DATA_DIR, row.sha256));
		for (const at of [0, Math.floor(jpeg.length / 3), Math.floor((2 * jpeg.length) / 3), jpeg.length - 64]) expect(dump).not.toContain(jpeg.subarray(at, at + 64).toString('latin1'));
	}
});

/** The administrator's lock time, through the devices page (the notice says it was saved). */
async function setLockMinutes(admin: Page, minutes: number) {
	await admin.goto('/admin/devices');
	await admin.getByLabel('无操作多少分钟后锁定（1–30）').fill(String(minutes));
	await admin.getByRole('button', { name: '保存锁定时间' }).click();
	await expect(admin.getByRole('status').filter({ hasText: /锁定时间已保存|锁定时间没有变化/ })).toBeVisible();
}

test('the administrator sets the idle-lock time; a tablet locks after it from its next sync', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await login(admin, 'admin');
	try {
		await setLockMinutes(admin, 5);
		await expectAccessible(admin);

		// The tablet's clock is Playwright's (time flows, and can jump ahead).
		await page.clock.install();
		await fieldLogin(page, 'staff2');
		await expect(page.getByTestId('pending')).toHaveText('待同步 0 项');
		await expect(page.getByTestId('lock-after')).toHaveText('无操作 5 分钟后自动锁定');
		await page.clock.fastForward('02:10');
		await expect(page.getByTestId('device-lock')).toHaveCount(0); // 5 minutes: still open

		await setLockMinutes(admin, 1);
		await expect(admin.getByLabel('无操作多少分钟后锁定（1–30）')).toHaveValue('1');
		await page.getByRole('button', { name: '立即同步' }).click();
		await expect(page.getByTestId('lock-after')).toHaveText('无操作 1 分钟后自动锁定');
		await page.clock.fastForward('01:10');
		await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked');
		await unlockWithPin(page, TEST_PIN);
		await expect(page.getByTestId('device-lock')).toHaveCount(0);
	} finally {
		await setLockMinutes(admin, 5); // the shared server's other suites expect the default
		await adminContext.close();
	}
});
