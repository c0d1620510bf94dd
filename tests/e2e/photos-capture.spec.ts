import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectAccessible, shanghaiDate } from './helpers';
import { ensureServiceWorker, fieldLogin, openVisitFromDayList, planVisit, tabletOptions } from './field-helpers';
import { PIN_RESET_PHOTOS as REQUIRED, takePhoto } from './photo-helpers';
import { storedFile } from './photo-flow-helpers';

/**
 * Capture of the identity-verification photos on the tablet, in real Chromium with its fake
 * camera (--use-fake-device-for-media-stream): the visit's required kinds are listed, each is
 * taken in the in-app camera dialog (processed in the worker: ≤ 500 KB JPEG, watermark, no
 * EXIF, SHA-256 of the stored bytes), a retake replaces, the file-picker fallback scales a large
 * noisy image down, a photo is deleted, and finishing is refused while a kind is missing.
 * Uploading and the server side are other suites' subjects.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation', 'camera'], geolocation });

interface StoredPhoto {
	id: string;
	kind: string;
	bytes: number;
	width: number;
	height: number;
	sha256: string;
}

/**
 * The photos of a visit as the tablet's IndexedDB holds them, read without the app or its key:
 * the facts are readable, the JPEG is stored sealed (its bytes are checked on the server's copy,
 * which the upload accepts only when they hash to the tablet's `sha256`).
 */
async function storedPhotos(page: Page, visitId: string): Promise<StoredPhoto[]> {
	return page.evaluate(async (visitId) => {
		const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('doorstep-field-'));
		const out: StoredPhoto[] = [];
		for (const name of names) {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open(name);
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			if (!db.objectStoreNames.contains('photos')) continue;
			const rows = await new Promise<StoredPhoto[]>((resolve, reject) => {
				const r = db.transaction('photos').objectStore('photos').getAll();
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			for (const p of rows.filter((p) => (p as unknown as { visitId: string }).visitId === visitId)) out.push({ id: p.id, kind: p.kind, bytes: p.bytes, width: p.width, height: p.height, sha256: p.sha256 });
			db.close();
		}
		return out;
	}, visitId);
}

/** Whether JPEG bytes carry an APP1 "Exif" segment before the scan. */
function hasExif(b: Buffer): boolean {
	let i = 2;
	while (i + 4 <= b.length && b[i] === 0xff) {
		if (b[i + 1] === 0xda) return false;
		if (b[i + 1] === 0xe1 && b.subarray(i + 4, i + 8).toString('latin1') === 'Exif') return true;
		i += 2 + b.readUInt16BE(i + 2);
	}
	return false;
}

/** A large (4000×3000) noisy JPEG, with an EXIF segment spliced in after SOI. */
async function bigNoisyJpegWithExif(page: Page): Promise<Buffer> {
	const bytes = await page.evaluate(async () => {
		const c = new OffscreenCanvas(4000, 3000);
		const ctx = c.getContext('2d')!;
		const img = ctx.createImageData(4000, 3000);
		for (let i = 0; i < img.data.length; i += 4) {
			img.data[i] = (Math.random() * 256) | 0;
			img.data[i + 1] = (Math.random() * 256) | 0;
			img.data[i + 2] = (Math.random() * 256) | 0;
			img.data[i + 3] = 255;
		}
		ctx.putImageData(img, 0, 0);
		const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
		return new Promise<string>((resolve) => {
			const reader = new FileReader();
			reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
			reader.readAsDataURL(blob);
		});
	});
	const jpeg = Buffer.from(bytes, 'base64');
	// APP1: "Exif\0\0" + a big-endian TIFF header with an empty IFD (valid, carries nothing).
	const tiff = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
	const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
	const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
	const withExif = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
	expect(hasExif(withExif)).toBe(true);
	return withExif;
}

test('staff take the required photos in the in-app camera: listed as taken, ≤ 500 KB, watermarked JPEG without EXIF', async ({ page, context, baseURL }) => {
	test.setTimeout(180_000);
	const date = shanghaiDate(9);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '15:00', end: '16:00', lead: 'staff1', second: 'staff2', tag: '拍照老人' });

	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await openVisitFromDayList(page, date, visit.residentName);
	const stepButton = (name: string) => page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name, exact: true });

	// Finishing as "completed" is refused while the required photos are missing, naming them.
	await stepButton('5. 结果与确认').click();
	await page.getByRole('radio', { name: '已完成' }).check();
	await page.getByRole('button', { name: '完成上门' }).click();
	await expect(page.getByRole('alert')).toContainText('还缺：身份证人像面、身份证国徽面、工作人员与客户合影、签字材料');
	await page.getByRole('button', { name: '去拍照' }).click();
	await expect(stepButton('3. 拍照核验')).toHaveAttribute('aria-current', 'step');
	await expect(page.getByTestId('photo-summary')).toHaveText('还缺 4 张必拍照片：身份证人像面、身份证国徽面、工作人员与客户合影、签字材料');
	for (const [kind] of REQUIRED) await expect(page.locator(`li.slot[data-kind=${kind}]`)).toContainText('未拍摄');
	await expectAccessible(page);

	// The camera dialog is labelled and keyboard-usable: Esc closes it.
	await page.getByRole('button', { name: '拍照：身份证人像面' }).click();
	const dialog = page.getByRole('dialog', { name: '拍摄：身份证人像面' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('button', { name: '拍摄', exact: true })).toBeFocused();
	await expect(dialog.locator('.frame'), 'the ID-card framing overlay').toBeVisible();
	await expectAccessible(page);
	await page.keyboard.press('Escape');
	await expect(dialog).toHaveCount(0);

	// Each required kind: camera → shutter → preview → use → processed and listed.
	for (const [kind, label] of REQUIRED) await takePhoto(page, kind, label);
	await expect(page.getByTestId('photo-summary')).toHaveText('必拍照片已齐全。');

	// A retake replaces the photo (one per kind), with new bytes.
	const before = (await storedPhotos(page, visit.visitId)).find((p) => p.kind === 'id_back')!;
	await page.getByRole('button', { name: '重拍：身份证国徽面' }).click();
	const again = page.getByRole('dialog', { name: '拍摄：身份证国徽面' });
	await expect.poll(() => again.locator('video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
	await again.getByRole('button', { name: '拍摄', exact: true }).click();
	await again.getByRole('button', { name: '重拍' }).click(); // retake inside the dialog too
	await expect.poll(() => again.locator('video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
	await again.getByRole('button', { name: '拍摄', exact: true }).click();
	await again.getByRole('button', { name: '使用这张照片' }).click();
	await expect.poll(async () => (await storedPhotos(page, visit.visitId)).filter((p) => p.kind === 'id_back').map((p) => p.id)).not.toEqual([before.id]);
	await expect(page.locator('li.slot[data-kind=id_back]').getByTestId('photo')).toHaveCount(1);

	// The fallback file picker: a 12-megapixel noisy JPEG carrying EXIF is scaled, compressed to
	// the target and stripped.
	const big = await bigNoisyJpegWithExif(page);
	expect(big.length).toBeGreaterThan(2_000_000);
	// Offline meanwhile: the photo waits in the queue, and the sync bar says so.
	await context.setOffline(true);
	await page.getByRole('button', { name: '拍照：其他照片' }).click();
	const other = page.getByRole('dialog', { name: '拍摄：其他照片' });
	await other.locator('input[type=file]').setInputFiles({ name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
	const otherSlot = page.locator('li.slot[data-kind=other]');
	await expect(otherSlot.getByTestId('photo')).toHaveCount(1, { timeout: 30_000 });
	await expect(otherSlot).toContainText('已拍摄，等待上传');
	await expect(page.getByTestId('photo-queue')).toHaveText(/照片上传中 · 剩 \d+ KB/);
	await expect(page.getByTestId('pending')).toContainText('1 张照片');
	// Online again: the queue sends it (the server side answers with a receipt).
	await context.setOffline(false);
	await expect(page.getByTestId('photo-queue')).toHaveCount(0, { timeout: 20_000 });
	await expect(otherSlot).toContainText('已上传');

	// What the tablet made: JPEG, ≤ 500 KB, ≤ 2048 px, no EXIF, the hash of its bytes (as
	// uploaded: the tablet keeps them sealed), and its thumbnails open from the sealed copy.
	const stored = await storedPhotos(page, visit.visitId);
	expect(stored.map((p) => p.kind).sort()).toEqual(['id_back', 'id_front', 'other', 'signed_document', 'staff_with_customer']);
	await expect.poll(() => stored.every((p) => existsSync(storedFile(DATA_DIR, p.sha256))), { timeout: 20_000 }).toBe(true);
	for (const p of stored) {
		await expect.poll(() => page.locator(`[data-photo-id="${p.id}"] img`).evaluate((img: HTMLImageElement) => img.naturalWidth), p.kind).toBe(p.width);
		const bytes = readFileSync(storedFile(DATA_DIR, p.sha256));
		expect(bytes.length, p.kind).toBe(p.bytes);
		expect(p.bytes, p.kind).toBeLessThanOrEqual(500 * 1024);
		expect(Math.max(p.width, p.height), p.kind).toBeLessThanOrEqual(2048);
		expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
		expect(hasExif(bytes), `${p.kind} carries no EXIF`).toBe(false);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
	}
	// PHOTO_DUMP=<folder>: keep the processed photos to look at the watermark by eye.
	if (process.env.PHOTO_DUMP) for (const p of stored) writeFileSync(path.join(process.env.PHOTO_DUMP, `${p.kind}.jpg`), readFileSync(storedFile(DATA_DIR, p.sha256)));
	const otherPhoto = stored.find((p) => p.kind === 'other')!;
	expect(Math.max(otherPhoto.width, otherPhoto.height)).toBeLessThan(4000);
	// The listed sizes are what is stored.
	// (Two fake-camera frames may compress to the same size: count per size.)
	for (const p of stored) await expect(page.locator(`[data-testid=photo][data-bytes="${p.bytes}"]`)).toHaveCount(stored.filter((q) => q.bytes === p.bytes).length);

	// Before the visit is finished a photo can be deleted (after a confirmation).
	await page.getByRole('button', { name: '删除：其他照片' }).click();
	await page.getByRole('alertdialog').getByRole('button', { name: '删除照片' }).click();
	await expect(page.locator('li.slot[data-kind=other]').getByTestId('photo')).toHaveCount(0);
	expect((await storedPhotos(page, visit.visitId)).map((p) => p.kind)).not.toContain('other');
});
