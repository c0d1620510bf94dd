import { expect, test } from '@playwright/test';
import { expectAccessible, login, serverDb } from './helpers';

/**
 * Route planning, as the outlet head uses it: pick a suggested slot when approving a request,
 * then optimise and publish the day's routes on the dispatch board. Runs in order: the second
 * test plans the day the first one booked.
 */
test.describe.configure({ mode: 'serial' });

let bookedDate = '';

interface VisitRow {
	id: string;
	date: string;
	window_start: string;
	window_end: string;
	lead_staff_id: string;
	second_staff_id: string;
}

test('approving with a suggested slot books that slot and team', async ({ page }) => {
	await login(page, 'head1');
	// The inbox opens on the requests waiting for a decision: take the first.
	const link = page.locator('article.request h2 a').first();
	const requestId = (await link.getAttribute('href'))!.split('/').pop()!;
	await link.click();
	await page.waitForURL(`**/approvals/${requestId}`);

	const slots = page.locator('.suggestions a.slot');
	await expect(slots.first()).toBeVisible();
	expect(await slots.count()).toBeLessThanOrEqual(5);
	await expect(slots.first()).toContainText('分钟路程');
	await expectAccessible(page);

	const href = (await slots.first().getAttribute('href'))!;
	const key = decodeURIComponent(href.slice(href.indexOf('=') + 1, href.indexOf('#')));
	const [date, start, end, lead, second] = key.split('_');
	await slots.first().click();
	await expect(slots.first()).toHaveAttribute('aria-current', 'true');
	// The pick fills the approve form; the head could still change any field.
	await expect(page.locator('#approve-date')).toHaveValue(date);
	await expect(page.locator('#approve-start')).toHaveValue(start);
	await expect(page.locator('#approve-end')).toHaveValue(end);
	await expect(page.locator('#approve-leadStaffId')).toHaveValue(lead);
	await expect(page.locator('#approve-secondStaffId')).toHaveValue(second);

	await page.getByRole('button', { name: '审批通过' }).click();
	await page.waitForURL(/done=approve/);
	const db = serverDb();
	try {
		const visit = db.prepare(`select * from visits where request_id = ? and status = 'scheduled'`).get(requestId) as VisitRow;
		expect(visit).toMatchObject({ date, window_start: start, window_end: end, lead_staff_id: lead, second_staff_id: second });
	} finally {
		db.close();
	}
	bookedDate = date;
});

test('the dispatch board optimises the day and publishes order, arrival and teams', async ({ page }) => {
	expect(bookedDate, 'runs after the approval test').not.toBe('');
	await login(page, 'head1');
	await page.goto(`/approvals/dispatch?date=${bookedDate}`);
	await expect(page.getByRole('heading', { name: '当前路线' })).toBeVisible();
	await expect(page.locator('.timeline li.start').first()).toContainText('从网点出发');
	await expectAccessible(page);

	// Lock the first visit to the team it has: the optimiser must keep it there.
	const firstRow = page.locator('table tbody tr').first();
	const team = (await firstRow.locator('td').nth(3).textContent())!.trim();
	const lock = firstRow.locator('select');
	await lock.selectOption({ label: team });
	const lockedTeam = await lock.inputValue();
	const lockedVisit = (await lock.getAttribute('name'))!.slice('lock.'.length);

	await page.getByRole('button', { name: '优化路线' }).click();
	await expect(page.getByRole('heading', { name: '优化后的路线（尚未发布）' })).toBeVisible({ timeout: 15_000 });
	await expect(page.locator('.timeline li.visit').first()).toContainText('上门服务');
	await expect(page.locator('.timeline li.end').first()).toContainText('返回网点');
	await expect(page.locator(`select[name="lock.${lockedVisit}"]`)).toHaveValue(lockedTeam);
	await expect(page.locator(`section.team[aria-labelledby="team-${lockedTeam}"] li[data-visit="${lockedVisit}"]`)).toHaveCount(1);
	await expectAccessible(page);

	await page.getByRole('button', { name: '发布' }).click();
	await page.waitForURL(/stored=/);
	await expect(page.getByRole('status')).toContainText('已发布');

	const db = serverDb();
	try {
		const outlet = (db.prepare(`select outlet_id from users where username = 'head1'`).get() as { outlet_id: string }).outlet_id;
		const visits = db.prepare(`select * from visits where outlet_id = ? and date = ? and status = 'scheduled'`).all(outlet, bookedDate) as VisitRow[];
		const plans = db.prepare(`select * from visit_plans where outlet_id = ? and date = ?`).all(outlet, bookedDate) as {
			visit_id: string;
			lead_staff_id: string;
			second_staff_id: string;
			planned_order: number;
			planned_arrival: string;
		}[];
		expect(plans.length).toBeGreaterThan(0);
		expect(plans.length).toBeLessThanOrEqual(visits.length);
		for (const p of plans) {
			const v = visits.find((x) => x.id === p.visit_id)!;
			// The visit is with the team the plan put it on (reassigned where the plan said so).
			expect([v.lead_staff_id, v.second_staff_id].sort()).toEqual([p.lead_staff_id, p.second_staff_id].sort());
			expect(p.planned_order).toBeGreaterThanOrEqual(1);
			expect(p.planned_arrival.startsWith(bookedDate)).toBe(true);
			// Service starts inside the booked window (stored as UTC: Shanghai is UTC+8).
			const local = new Date(Date.parse(p.planned_arrival) + 8 * 3_600_000).toISOString().slice(11, 16);
			expect(local >= v.window_start && local <= v.window_end).toBe(true);
		}
	} finally {
		db.close();
	}
});
