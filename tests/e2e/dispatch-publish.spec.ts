import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login, shanghaiDate } from './helpers';
import { ensureServiceWorker, fieldLogin, planVisit, tabletOptions, userId, withDb } from './field-helpers';

/** The tablet's context: the shared tablet options minus what only a launched browser takes. */
function tabletContextOptions(baseURL: string) {
	const { executablePath: _e, args: _a, ...options } = tabletOptions(baseURL);
	return options;
}

/**
 * Dispatch board → field tablet: the outlet head publishes the day's routes, and the field staff
 * member's tablet shows its stops in the published order with the planned arrivals after a sync;
 * a second publication with a visit moved to another team reaches the tablet the same way. The
 * route map numbers the stops, and, offline, opens again and re-plans on the tablet as a local
 * suggestion.
 * Real server and database (the config's webServer), two browser contexts: head and tablet.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';

interface PlanRow {
	visit_id: string;
	planned_order: number;
	planned_arrival: string;
}

/** The published stops of staff1's visits of the day, in order, with the arrival as `HH:MM` Shanghai. */
function publishedFor(staffId: string, date: string): { visitId: string; order: number; arrival: string }[] {
	return withDb(DATA_DIR, (db) =>
		(
			db
				.prepare(
					`select p.visit_id, p.planned_order, p.planned_arrival from visit_plans p join visits v on v.id = p.visit_id
					 where p.date = ? and (v.lead_staff_id = ? or v.second_staff_id = ?) and v.status = 'scheduled' order by p.planned_arrival`
				)
				.all(date, staffId, staffId) as PlanRow[]
		).map((r) => ({
			visitId: r.visit_id,
			order: r.planned_order,
			arrival: new Date(Date.parse(r.planned_arrival) + 8 * 3_600_000).toISOString().slice(11, 16)
		}))
	);
}

/** On the dispatch board: lock every visit to the given team, optimise, publish. */
async function publishWithLocks(head: Page, date: string, locks: Record<string, string>) {
	await head.goto(`/approvals/dispatch?date=${date}`);
	for (const [visitId, team] of Object.entries(locks)) await head.locator(`select[name="lock.${visitId}"]`).selectOption(team);
	await head.getByRole('button', { name: '优化路线' }).click();
	await expect(head.getByRole('heading', { name: '优化后的路线（尚未发布）' })).toBeVisible({ timeout: 15_000 });
	for (const [visitId, team] of Object.entries(locks)) {
		await expect(head.locator(`section.team[aria-labelledby="team-${team}"] li[data-visit="${visitId}"]`)).toHaveCount(1);
	}
	await head.getByRole('button', { name: '发布' }).click();
	await head.waitForURL(/stored=/);
	await expect(head.getByRole('status')).toContainText('已发布');
}

/** Taps "sync now" and waits until the tablet shows exactly `expected` stops in that order. */
async function syncAndExpectOrder(tablet: Page, date: string, expected: { visitId: string; order: number; arrival: string }[]) {
	await tablet.goto(`/field?date=${date}`);
	await expect(tablet.getByRole('button', { name: '立即同步' })).toBeEnabled();
	await tablet.getByRole('button', { name: '立即同步' }).click();
	const cards = tablet.locator('article.visit');
	await expect.poll(async () => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-visit'))), { timeout: 15_000 }).toEqual(expected.map((e) => e.visitId));
	for (const [i, e] of expected.entries()) {
		await expect(cards.nth(i).getByTestId('stop')).toHaveText(`第 ${e.order} 站`);
		await expect(cards.nth(i).getByTestId('planned-arrival')).toHaveText(`预计 ${e.arrival} 到达`);
	}
}

test('a published plan reaches the tablet in order, and a re-publication changes it there', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	const date = shanghaiDate(11);
	const book = (start: string, end: string, lead: string, second: string, tag: string) => planVisit(baseURL!, DATA_DIR, { date, start, end, lead, second, tag });
	const a = await book('09:00', '10:00', 'staff1', 'staff2', '路线甲');
	const b = await book('10:00', '11:00', 'staff1', 'staff2', '路线乙');
	const c = await book('14:00', '15:00', 'staff1', 'staff2', '路线丙');
	const e = await book('15:30', '16:30', 'staff3', 'staff2', '路线丁');
	const [s1, s2, s3] = ['staff1', 'staff2', 'staff3'].map((u) => userId(DATA_DIR, u));
	const teamX = `${s1}|${s2}`;
	const teamY = `${s3}|${s2}`;

	const headContext = await browser.newContext();
	const tabletContext = await browser.newContext(tabletContextOptions(baseURL!));
	try {
		const head = await headContext.newPage();
		await login(head, 'head1');
		const tablet = await tabletContext.newPage();
		await fieldLogin(tablet, 'staff1');
		await ensureServiceWorker(tablet);

		// 1. First publication: staff1's team does A, B, C.
		await publishWithLocks(head, date, { [a.visitId]: teamX, [b.visitId]: teamX, [c.visitId]: teamX, [e.visitId]: teamY });
		const first = publishedFor(s1, date);
		expect(first.map((p) => [p.visitId, p.order])).toEqual([
			[a.visitId, 1],
			[b.visitId, 2],
			[c.visitId, 3]
		]);
		await syncAndExpectOrder(tablet, date, first);
		await expect(tablet.getByText('按网点负责人发布的路线排序')).toBeVisible();
		await expectAccessible(tablet);

		// 2. The head moves B to the other team and publishes again: staff1's tablet drops B and
		// C becomes stop 2 after the next sync.
		await publishWithLocks(head, date, { [a.visitId]: teamX, [b.visitId]: teamY, [c.visitId]: teamX, [e.visitId]: teamY });
		const second = publishedFor(s1, date);
		expect(second.map((p) => [p.visitId, p.order])).toEqual([
			[a.visitId, 1],
			[c.visitId, 2]
		]);
		await syncAndExpectOrder(tablet, date, second);

		// 3. The route map: the stops numbered in the published order, a navigation link each.
		await tablet.getByRole('link', { name: '路线地图' }).click();
		await tablet.waitForURL(`**/field/route?date=${date}`);
		const markers = tablet.locator('[data-testid="route-map"] .route-stop-icon');
		await expect(markers).toHaveCount(2);
		await expect(markers.nth(0)).toHaveText('1');
		await expect(markers.nth(1)).toHaveText('2');
		await expect(tablet.locator('[data-testid="route-map"] .leaflet-marker-icon[title="1 · ' + a.residentName + '"]')).toHaveCount(1);
		// The tablet's own position (the context's geolocation) is drawn as a dot.
		await expect(tablet.getByText(/本机定位精度约 \d+ 米/)).toBeVisible();
		await expect(tablet.locator('[data-testid="route-map"] path.route-gps-dot')).toHaveCount(1);
		await expectAccessible(tablet);
		const stops = tablet.locator('li.stop');
		await expect(stops.nth(0)).toContainText(a.residentName);
		await expect(stops.nth(1)).toContainText(c.residentName);
		await expect(stops.nth(0).getByRole('link', { name: '高德地图导航' })).toHaveAttribute('href', /^https:\/\/uri\.amap\.com\/navigation\?to=120\.\d+%2C30\.\d+/);

		// 4. Offline (service worker + IndexedDB): the route map opens again, and the tablet
		// re-plans on its own: a local suggestion, labelled as such; the published stops stay.
		await tabletContext.setOffline(true);
		await tablet.goto(`/field/route?date=${date}`);
		await expect(markers).toHaveCount(2);
		await expect(stops.nth(1)).toContainText(c.residentName);
		await tablet.getByRole('button', { name: '重新排列剩余站点' }).click();
		await expect(tablet.getByTestId('local-plan')).toContainText('本机重新排列的建议（未发布）');
		await expect(stops.nth(0).getByTestId('local-stop')).toContainText('建议第 1 站');
		await expect(stops.nth(0).getByTestId('stop')).toHaveText('第 1 站');
		await expect(tablet.locator('[data-testid="route-map"] .route-stop-icon.local')).toHaveCount(2);
		// Nothing of it went to the server: the published plan is unchanged.
		await tabletContext.setOffline(false);
		expect(publishedFor(s1, date)).toEqual(second);
	} finally {
		await headContext.close();
		await tabletContext.close();
	}
});
