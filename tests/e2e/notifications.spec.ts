import { expect, test, type Page } from '@playwright/test';
import { makeResidentId } from '../../src/lib/domain/resident-id';
import { expectAccessible, login, logout, serverDb, shanghaiDate } from './helpers';
import { passLock } from './field-helpers';

/**
 * Issue 15 in real Chromium against the real server: a community worker files a request with
 * SMS reminders to the resident's number, the outlet head approves it and sees the opt-in on
 * the request page, the worker finds the approval in the notification centre and the bell's
 * unread count drops once it is read.
 */
const unreadCount = async (page: Page): Promise<number> => {
	const badge = page.getByTestId('unread-count');
	return (await badge.count()) ? Number((await badge.textContent())!.replace('+', '')) : 0;
};

test('the worker sees the approval notice and its unread count drop after reading it', async ({ page }) => {
	// Four sign-ins (worker, head, field staff with PIN, worker again) on a loaded machine.
	test.setTimeout(180_000);
	const suffix = String(Date.now()).slice(-3);
	const name = `提醒老人${suffix}`;
	const date = shanghaiDate(5);

	await login(page, 'worker1');
	await page.goto('/requests/new');
	await page.getByLabel('新居民').check();
	await page.fill('#resident-name', name);
	await page.fill('#resident-phone', '13800005678');
	await page.fill('#resident-idNumber', makeResidentId('330109', '1939-03-21', suffix));
	await page.fill('#resident-district', '城厢街道');
	await page.fill('#resident-address', '杭州市萧山区城厢街道高桥路 18 号');
	await page.locator('input[name="services"][value="pin_reset"]').check();
	await page.fill('#windows-0-date', date);
	await page.fill('#windows-0-start', '19:00');
	await page.fill('#windows-0-end', '20:00');
	await page.fill('#windows-1-date', shanghaiDate(6));
	await page.fill('#windows-1-start', '14:00');
	await page.fill('#windows-1-end', '16:00');
	await page.fill('#consentName', name);
	await page.locator('#consentAgreed').check();
	await page.getByLabel('发送到老人本人的手机').check();
	await page.screenshot({ path: 'test-results/notifications/new-request-optin-zh.png', fullPage: true });
	await page.getByRole('button', { name: '提交申请' }).click();
	await page.waitForURL(/\/requests\/[^/]+\?created=1/);
	const requestId = new URL(page.url()).pathname.split('/').pop()!;
	const ref = (await page.locator('h1 .ref').textContent())!.trim();
	await logout(page);

	// The head was told of the new request, approves it, and sees the consent to reminders.
	await login(page, 'head1');
	await page.goto('/notifications');
	await expect(page.locator('[data-notification="request_new"]', { hasText: ref })).toBeVisible();
	await page.goto(`/approvals/${requestId}`);
	await page.selectOption('#approve-leadStaffId', { label: '王晓东' });
	await page.selectOption('#approve-secondStaffId', { label: '李婷' });
	await page.getByRole('button', { name: '审批通过' }).click();
	await page.waitForURL(/done=approve/);
	const log = page.getByTestId('delivery-log');
	await expect(log).toContainText('已同意短信提醒，发送到：老人本人的手机');
	await expect(log).toContainText('待发送：1 条');
	await expect(log).not.toContainText('13800005678');
	await log.screenshot({ path: 'test-results/notifications/delivery-log-zh.png' });
	await logout(page);

	// The team's tablet shows the new visit as a notice at its next pull, until dismissed.
	await login(page, 'staff1');
	await page.goto(`/field?date=${date}`);
	await passLock(page);
	const notices = page.getByTestId('field-notices');
	await expect(notices).toContainText(`新的上门任务 ${ref}`);
	await expect(notices).toContainText('19:00–20:00');
	// The newest three only, the rest behind one button, so the day's visits stay in view.
	const total = Number(await notices.locator('.count').textContent());
	await expect(notices.locator('li')).toHaveCount(Math.min(total, 3));
	if (total > 3) {
		await notices.getByRole('button', { name: `显示其余 ${total - 3} 条` }).click();
		await expect(notices.locator('li')).toHaveCount(total);
		await notices.getByRole('button', { name: '收起' }).click();
		await expect(notices.locator('li')).toHaveCount(3);
	}
	await expectAccessible(page);
	await page.screenshot({ path: 'test-results/notifications/field-notice-zh.png', fullPage: true });
	const item = notices.locator('li', { hasText: ref });
	await item.getByRole('button', { name: '知道了' }).click();
	await expect(item).toHaveCount(0);
	await logout(page);

	// The worker: the bell counts the approval; the notice names the slot; reading it counts down.
	await login(page, 'worker1');
	const before = await unreadCount(page);
	expect(before).toBeGreaterThanOrEqual(1);
	await expect(page.getByTestId('notification-bell')).toHaveAccessibleName(`消息通知，${before} 条未读`);
	await page.getByTestId('notification-bell').click();
	await page.waitForURL('**/notifications');
	const notice = page.locator('[data-notification="request_approved"]', { hasText: ref });
	await expect(notice).toContainText('19:00–20:00');
	await expect(notice).toContainText('未读');
	await expectAccessible(page);
	await page.screenshot({ path: 'test-results/notifications/notifications-zh.png', fullPage: true });

	await notice.getByRole('button', { name: '查看' }).click();
	await page.waitForURL(`**/requests/${requestId}`);
	await expect.poll(() => unreadCount(page)).toBe(before - 1);
	const row = serverDb().prepare("select read_at from notifications where code = 'request_approved' and entity_id = ?").get(requestId) as { read_at: string | null };
	expect(row.read_at).not.toBeNull();

	// English, and "mark all read" empties the bell.
	await page.goto('/notifications');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
	await expect(page.locator('[data-notification="request_approved"]', { hasText: ref })).toContainText('approved');
	await expectAccessible(page);
	await page.screenshot({ path: 'test-results/notifications/notifications-en.png', fullPage: true });
	if (before - 1 > 0) {
		await page.getByRole('button', { name: 'Mark all as read' }).click();
		await expect(page.getByTestId('unread-summary')).toHaveText('0 unread');
	}
	await expect.poll(() => unreadCount(page)).toBe(0);
	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { name: '消息通知' })).toBeVisible();
});
