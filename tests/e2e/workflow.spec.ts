import { expect, test } from '@playwright/test';
import { makeResidentId } from '../../src/lib/domain/resident-id';
import { expectAccessible, login, logout, serverDb, shanghaiDate } from './helpers';
import { passLock } from './field-helpers';

/**
 * The foundation's main path, in real Chromium against the real server and database:
 * community worker requests → outlet head approves with a two-person team and a slot →
 * both staff see the visit → the worker sees status and timeline → the audit log holds each step.
 */
test('request → approval → scheduled visit, seen by every role', async ({ page }) => {
	const visitDate = shanghaiDate(3);
	const suffix = String(Date.now()).slice(-3);
	const residentName = `测试老人${suffix}`;
	const idNumber = makeResidentId('330109', '1941-05-17', suffix);

	// The slot is in the evening so it cannot collide with the demo data's daytime visits.
	// 1. worker1 (高桥社区, served by 城厢支行营业部) submits a request for a new resident.
	await login(page, 'worker1');
	await page.goto('/requests/new');
	await expectAccessible(page);
	await page.getByLabel('新居民').check();
	await page.fill('#resident-name', residentName);
	await page.fill('#resident-phone', '13800001234');
	await page.fill('#resident-idNumber', idNumber);
	await page.fill('#resident-district', '城厢街道');
	await page.fill('#resident-address', '杭州市萧山区城厢街道高桥路 12 号 3 单元 402 室');
	await page.locator('input[name="services"][value="pin_reset"]').check();
	await page.fill('#windows-0-date', visitDate);
	await page.fill('#windows-0-start', '18:30');
	await page.fill('#windows-0-end', '19:30');
	await page.fill('#windows-1-date', shanghaiDate(4));
	await page.fill('#windows-1-start', '14:00');
	await page.fill('#windows-1-end', '16:00');
	await page.fill('#consentName', residentName);
	await page.locator('#consentAgreed').check();
	await page.getByRole('button', { name: '提交申请' }).click();
	await page.waitForURL(/\/requests\/[^/]+\?created=1/);
	const requestId = new URL(page.url()).pathname.split('/').pop()!;
	await expect(page.getByRole('status')).toContainText('已提交');
	await expect(page.locator('main .badge')).toContainText('已提交');
	const ref = (await page.locator('h1 .ref').textContent())!.trim();
	await logout(page);

	// 2. head1 sees it in the inbox with its countdown and approves it with two staff and a slot.
	await login(page, 'head1');
	await expect(page).toHaveURL(/\/approvals$/);
	const card = page.locator('article.request', { hasText: ref });
	await expect(card).toBeVisible();
	await expect(card.locator('.sla')).toContainText('审批时限剩余');
	await expectAccessible(page);
	await card.getByRole('link').first().click();
	await page.waitForURL(`**/approvals/${requestId}`);
	await expect(page.locator('#approve-date')).toHaveValue(visitDate);
	await page.selectOption('#approve-leadStaffId', { label: '王晓东' });
	await page.selectOption('#approve-secondStaffId', { label: '李婷' });
	await expectAccessible(page);
	await page.getByRole('button', { name: '审批通过' }).click();
	await page.waitForURL(/done=approve/);
	await expect(page.locator('main .badge')).toHaveText('已审批并排期');
	await logout(page);

	// 3. both staff members see the visit in their day list.
	for (const staff of ['staff1', 'staff2']) {
		await login(page, staff);
		await page.goto(`/field?date=${visitDate}`);
		// The field app opens behind its lock: a PIN is set at the first sign-in on this browser.
		await passLock(page);
		await expect(page.locator('article.visit', { hasText: residentName })).toContainText('18:30–19:30');
		await expectAccessible(page);
		await logout(page);
	}

	// 4. the worker sees the new status, the next step and the timeline.
	await login(page, 'worker1');
	await page.goto(`/requests/${requestId}`);
	await expect(page.locator('main .badge')).toHaveText('已审批并排期');
	const timeline = page.getByRole('list', { name: '办理记录' });
	await expect(timeline.locator('li')).toHaveCount(2);
	await expect(timeline).toContainText('提交申请');
	await expect(timeline).toContainText('审批通过并排期');
	await expectAccessible(page);

	// 5. the audit log holds each step with actor and time.
	const db = serverDb();
	try {
		const rows = db
			.prepare(
				`select a.action, a.at, u.username from audit_log a join users u on u.id = a.actor_id
				 where (a.entity = 'request' and a.entity_id = ?) order by a.seq`
			)
			.all(requestId) as { action: string; at: string; username: string }[];
		expect(rows.map((r) => [r.action, r.username])).toEqual([
			['submit', 'worker1'],
			['approve', 'head1']
		]);
		for (const r of rows) expect(Date.parse(r.at)).toBeGreaterThan(Date.now() - 10 * 60_000);
		const visit = db.prepare(`select v.date, l.username as lead, s.username as second from visits v join users l on l.id = v.lead_staff_id join users s on s.id = v.second_staff_id where v.request_id = ?`).get(requestId);
		expect(visit).toEqual({ date: visitDate, lead: 'staff1', second: 'staff2' });
	} finally {
		db.close();
	}
});
