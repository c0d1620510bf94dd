import { expect, type Page } from '@playwright/test';

/*
 * The tablet's photo step as a team taps it (Chromium's fake camera: the browser must run with
 * --use-fake-device-for-media-stream --use-fake-ui-for-media-stream, see browser.ts).
 */

/** The kinds a PIN-reset visit requires, with their Chinese labels, in catalogue order. */
export const PIN_RESET_PHOTOS = [
	['id_front', '身份证人像面'],
	['id_back', '身份证国徽面'],
	['staff_with_customer', '工作人员与客户合影'],
	['signed_document', '签字材料']
] as const;

const stepButton = (page: Page, name: string) => page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name, exact: true });

/** Opens the camera for one kind, captures a frame, uses it, and waits until it is listed. */
export async function takePhoto(page: Page, kind: string, label: string) {
	await page.getByRole('button', { name: `拍照：${label}` }).click();
	const cam = page.getByRole('dialog', { name: `拍摄：${label}` });
	const video = cam.locator('video');
	await expect(video).toBeVisible();
	await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
	await cam.getByRole('button', { name: '拍摄', exact: true }).click();
	await expect(cam.getByRole('img', { name: '刚拍摄的照片预览' })).toBeVisible();
	await cam.getByRole('button', { name: '使用这张照片' }).click();
	await expect(cam).toHaveCount(0);
	const slot = page.locator(`li.slot[data-kind=${kind}]`);
	await expect(slot.getByTestId('photo')).toHaveCount(1, { timeout: 20_000 });
	await expect(slot.getByRole('img', { name: `${label}缩略图` })).toBeVisible();
	await expect(slot).not.toContainText('未拍摄');
	await expect(slot).toContainText(/已拍摄，等待上传|正在上传|已上传|已尝试上传/);
	await expect(slot).toContainText(/\d+ KB · \d+×\d+/);
}

/**
 * The whole photo step of a visit page that is open: goes to "3. 拍照核验", takes every
 * required photo, and checks the step says they are all there. For workVisit (field-helpers.ts)
 * between the services and the consent steps.
 */
export async function takeRequiredPhotos(page: Page, kinds: readonly (readonly [string, string])[] = PIN_RESET_PHOTOS) {
	await stepButton(page, '3. 拍照核验').click();
	await expect(stepButton(page, '3. 拍照核验')).toHaveAttribute('aria-current', 'step');
	for (const [kind, label] of kinds) await takePhoto(page, kind, label);
	await expect(page.getByTestId('photo-summary')).toHaveText('必拍照片已齐全。');
}
