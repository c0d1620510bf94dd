import { expect, test } from '@playwright/test';
import { expectAccessible, login, shanghaiDate } from './helpers';
import { cancelAsHead, ensureServiceWorker, fieldLogin, openVisitFromDayList, pendingCount, planVisit, tabletOptions, withDb, workVisit } from './field-helpers';
import { takePhoto } from './photo-helpers';
import { devicePhotos, hashOfStored, photoRows, sha256, storageFiles } from './photo-flow-helpers';

/**
 * Issue 4's main promise, in real Chromium (fake camera) against the real server and its real
 * database and photo folder: the team takes the required photos and completes the visit while
 * offline; the app is closed and opened again, still offline; when the network is back the
 * photos upload by themselves, the outlet head sees every one of them (served no-store), the
 * printable sheet shows each photo's SHA-256 — the same as the server's row and as the hash of
 * the stored bytes — and the tablet drops the bytes once receipts and the completion are in.
 * Then the head sends the evidence back (a reason is required) and accepts it.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation', 'camera'], geolocation });

test('photos taken offline upload after a restart, the head reviews them, the tablet lets them go', async ({ context, page, browser, baseURL }) => {
	test.setTimeout(240_000);
	const today = shanghaiDate(0);
	const visit = await planVisit(baseURL!, DATA_DIR, { date: today, start: '18:30', end: '19:30', lead: 'staff1', second: 'staff2', tag: '凭证老人' });
	const filesBefore = storageFiles(DATA_DIR);

	// 1. Online: staff1 signs in, the service worker takes over, the visit reaches the tablet.
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await openVisitFromDayList(page, today, visit.residentName);

	// 2. Offline: the whole visit, photos included, is done on the tablet.
	await context.setOffline(true);
	await workVisit(page, { lead: '王晓东', second: '李婷' });
	await expect(page.getByTestId('pending')).toContainText('4 张照片');
	await expect(page.getByTestId('photo-queue')).toContainText('照片上传中');
	expect(await pendingCount(page)).toBeGreaterThan(0);
	const taken = await devicePhotos(page, visit.visitId);
	expect(taken.map((p) => p.kind).sort()).toEqual(['id_back', 'id_front', 'signed_document', 'staff_with_customer']);
	expect(taken.every((p) => p.hasBlob && p.status === 'queued' && !p.receiptSha)).toBe(true);
	expect(photoRows(DATA_DIR, visit.visitId), 'nothing reached the server while offline').toEqual([]);

	// 3. The app is closed; opened again (same browser storage), still offline.
	await page.close();
	const tablet = await context.newPage();
	const puts: number[] = [];
	tablet.on('response', (r) => {
		if (r.request().method() === 'PUT' && r.url().includes('/api/photos/')) puts.push(r.status());
	});
	await tablet.goto(`/field/visits/${visit.visitId}`);
	await expect(tablet.getByText(/上门已完成：已完成/)).toBeVisible();
	await expect(tablet.getByTestId('pending')).toHaveText('待同步：1 次上门、4 张照片');
	expect((await devicePhotos(tablet, visit.visitId)).every((p) => p.hasBlob)).toBe(true);

	// 4. Online again: the photos go up by themselves, the bar counts them down to zero.
	await context.setOffline(false);
	await expect(tablet.getByTestId('photo-queue')).toHaveCount(0, { timeout: 60_000 });
	await expect(tablet.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 30_000 });
	await expect(tablet.getByTestId('photo-refused')).toHaveCount(0);
	expect(puts.filter((s) => s === 201)).toHaveLength(4);

	// 5. The server holds each photo once: its row, and bytes that hash to the row's SHA-256.
	const rows = photoRows(DATA_DIR, visit.visitId);
	expect(rows.map((r) => r.id).sort()).toEqual(taken.map((p) => p.id).sort());
	for (const row of rows) {
		expect(row.sha256).toBe(taken.find((p) => p.id === row.id)!.sha256);
		expect(hashOfStored(DATA_DIR, row.sha256), `stored bytes of ${row.kind}`).toBe(row.sha256);
	}
	// Content-addressed: one file per distinct hash (two frames of the fake camera can be equal).
	const hashes = [...new Set(rows.map((r) => r.sha256))].sort();
	expect(storageFiles(DATA_DIR).filter((f) => !filesBefore.includes(f))).toEqual(hashes.map((h) => `${h.slice(0, 2)}/${h.slice(2, 4)}/${h}.jpg`));
	expect(storageFiles(DATA_DIR).filter((f) => f.startsWith('.tmp'))).toEqual([]);

	// 6. Receipts in and the completion applied: the tablet no longer holds the bytes.
	await expect
		.poll(async () => (await devicePhotos(tablet, visit.visitId)).map((p) => `${p.status}:${p.hasBlob}:${p.receiptSha === p.sha256}`), { timeout: 30_000 })
		.toEqual(['uploaded:false:true', 'uploaded:false:true', 'uploaded:false:true', 'uploaded:false:true']);

	// 7. The outlet head opens the request: every photo is shown, each served no-store.
	const office = await browser.newContext({ baseURL });
	const head = await office.newPage();
	const served = new Map<string, string | undefined>();
	head.on('response', (r) => {
		if (r.request().method() === 'GET' && /\/api\/photos\/[^/]+$/.test(new URL(r.url()).pathname)) served.set(r.url(), r.headers()['cache-control']);
	});
	await login(head, 'head1');
	await head.goto(`/approvals/${visit.requestId}`);
	const shown = head.getByTestId('evidence-photo');
	await expect(shown).toHaveCount(4);
	for (const row of rows) {
		const img = head.locator(`[data-testid=evidence-photo][data-photo-id="${row.id}"] img`);
		await img.scrollIntoViewIfNeeded(); // loading=lazy
		await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
		const res = await head.request.get(`/api/photos/${row.id}`);
		expect(res.status()).toBe(200);
		expect(res.headers()['cache-control']).toBe('no-store');
		expect(res.headers()['content-type']).toBe('image/jpeg');
		expect(sha256(await res.body())).toBe(row.sha256);
	}
	expect(served.size).toBe(4);
	expect([...served.values()].every((v) => v === 'no-store')).toBe(true);
	await expect(head.getByTestId('review-status')).toHaveText('待审核');
	await expectAccessible(head);

	// 8. Sending back needs a reason: an empty one is refused with a clear message, nothing saved.
	const reviewRows = () => withDb(DATA_DIR, (db) => db.prepare('select status, reason from evidence_reviews where visit_id = ?').all(visit.visitId));
	const reason = head.getByLabel('退回原因（外勤人员可见）');
	await head.getByRole('button', { name: '退回补充' }).click();
	await expect(reason).toHaveAttribute('aria-invalid', 'true');
	await expect(head.locator(`#review-reason-${visit.visitId}-error`)).toHaveText(/此项为必填项|内容过短/);
	await expect(head.getByTestId('review-status')).toHaveText('待审核');
	expect(reviewRows()).toEqual([]);

	await reason.fill('签字材料照片模糊，请补拍');
	await head.getByRole('button', { name: '退回补充' }).click();
	await expect(head.getByTestId('review-status')).toContainText('已退回：签字材料照片模糊，请补拍');
	await expect(head.getByTestId('review-status')).toContainText('陈建华');
	expect(reviewRows()).toEqual([{ status: 'sent_back', reason: '签字材料照片模糊，请补拍' }]);

	await head.getByRole('button', { name: '认可凭证' }).click();
	await expect(head.getByTestId('review-status')).toContainText('已认可');
	expect(reviewRows()).toEqual([{ status: 'accepted', reason: null }]);
	await expectAccessible(head);

	// 9. The printable sheet: each photo with the SHA-256 the server and the bytes agree on.
	await head.getByRole('link', { name: '打印凭证单' }).click();
	await expect(head).toHaveURL(new RegExp(`/approvals/${visit.requestId}/evidence/${visit.visitId}$`));
	const sheet = head.getByTestId('evidence-sheet');
	await expect(sheet.getByTestId('evidence-photo')).toHaveCount(4);
	for (const row of rows) {
		const item = sheet.locator(`[data-testid=evidence-photo][data-photo-id="${row.id}"]`);
		const shown = /SHA-256 校验值: ([0-9a-f]{64})/.exec((await item.textContent()) ?? '')?.[1];
		expect(shown, `sheet hash of ${row.kind}`).toBe(row.sha256);
		expect(shown).toBe(hashOfStored(DATA_DIR, row.sha256));
		await expect.poll(() => item.locator('img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
	}
	// The seal: the visit's newest hash-chained audit entry, as the database holds it.
	const newest = withDb(DATA_DIR, (db) => db.prepare(`select seq, entry_hash as hash from audit_log where entity = 'visit' and entity_id = ? order by seq desc limit 1`).get(visit.visitId) as { seq: number; hash: string });
	expect(newest.hash).toMatch(/^[0-9a-f]{64}$/);
	await expect(sheet.getByTestId('audit-seal')).toContainText(`#${newest.seq}`);
	await expect(sheet.getByTestId('audit-seal').locator('code')).toHaveText(newest.hash);
	await expectAccessible(head);
	await office.close();
});

test('a photo the server refuses stays on the tablet, shown with the translated reason, until the team deletes it', async ({ context, page, baseURL }) => {
	test.setTimeout(120_000);
	const date = shanghaiDate(9 + test.info().repeatEachIndex); // --repeat-each: a free slot each time
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '14:00', end: '15:00', lead: 'staff1', second: 'staff2', tag: '取消老人' });
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await openVisitFromDayList(page, date, visit.residentName);

	// Offline, a photo is taken; meanwhile the head cancels the visit on the server.
	await context.setOffline(true);
	await page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name: '3. 拍照核验', exact: true }).click();
	await takePhoto(page, 'id_front', '身份证人像面');
	await cancelAsHead(baseURL!, visit.requestId, '客户已到网点办理');

	// Online: the server refuses it for good (visit cancelled); the tablet keeps it and says why.
	await context.setOffline(false);
	// (The cancelled visit leaves the tablet with the next sync: the sync bar is where it shows.)
	await expect(page.getByTestId('photo-refused')).toHaveText('1 张照片被拒收 · 该上门任务已取消，照片不再接收。', { timeout: 30_000 });
	const [photo] = await devicePhotos(page, visit.visitId);
	expect(photo).toMatchObject({ status: 'refused', hasBlob: true, receiptSha: null, lastError: 'photo_err_visit_closed' });
	expect(photoRows(DATA_DIR, visit.visitId)).toEqual([]);

	// The sync bar leads to where it is resolved: the photo with its reason, retry, delete.
	await page.getByTestId('photo-refused').click();
	await expect(page).toHaveURL(/\/field\/conflicts/);
	const card = page.getByTestId('refused-photo');
	await expect(card).toHaveCount(1);
	await expect(card).toContainText('身份证人像面');
	await expect(card).toContainText('该上门任务已取消，照片不再接收。');
	await expect(card.locator('img')).toHaveJSProperty('complete', true);
	await expectAccessible(page);
	// Uploading again is refused again (the visit is still cancelled): nothing changes.
	await card.getByRole('button', { name: '重新上传' }).click();
	await expect.poll(async () => (await devicePhotos(page, visit.visitId))[0]?.status, { timeout: 15_000 }).toBe('refused');
	// Delete needs a confirmation; cancelling keeps the photo.
	await card.getByRole('button', { name: '从平板删除：身份证人像面' }).click();
	await page.getByRole('alertdialog').getByRole('button', { name: '取消' }).click();
	expect(await devicePhotos(page, visit.visitId)).toHaveLength(1);
	await card.getByRole('button', { name: '从平板删除：身份证人像面' }).click();
	await page.getByRole('alertdialog').getByRole('button', { name: '删除照片' }).click();
	await expect(page.getByTestId('refused-photo')).toHaveCount(0);
	await expect(page.getByTestId('photo-refused')).toHaveCount(0);
	expect(await devicePhotos(page, visit.visitId)).toEqual([]);
	await expect(page.getByText('没有需要处理的问题。')).toBeVisible();
});
