import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import path from 'node:path';
import { DEMO_PASSWORD, expectAccessible, login, shanghaiDate } from './helpers';
import { planVisit } from './field-helpers';
import { jpeg, sha256, signaturePng } from './photo-flow-helpers';
import { consentHash, CURRENT_CONSENT_VERSION } from '../../src/lib/domain/consent';

/*
 * Issue 13, the office side as its users meet it: the admin's top bar, audit labels, addresses
 * people guess, the 404 page and GET /logout; the worker's error summary; the head's live visit
 * progress, one timeline line per sync, evidence review and the printed sheet.
 */
const DATA_DIR = path.resolve(process.env.E2E_DATA_DIR || '.tmp/e2e-data');
const SHOTS = process.env.SHOTS_DIR;
const shot = async (page: Page, name: string) => {
	if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};
const switchLanguage = async (page: Page) => {
	await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /^(English|中文)$/ }).click()]);
	await page.waitForLoadState('networkidle');
};

test('admin: top bar, translated audit log, /admin/communities, 404 inside the app, GET /logout', async ({ page }) => {
	await login(page, 'admin');
	const nav = page.getByRole('navigation', { name: /主导航|Main/ });
	await expect(nav.getByRole('link', { name: '全部申请' })).toHaveAttribute('href', '/admin/requests');
	await expect(nav.getByRole('link', { name: '外勤设备' })).toHaveAttribute('href', '/admin/devices');
	// On a landscape tablet (1180 px) the eight links form one row of their own, under the brand
	// and the tools, and the per-outlet table fits its card without scrolling.
	const linkTops = await nav.getByRole('link').evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
	expect(linkTops.length).toBe(8);
	expect(new Set(linkTops).size, `link rows at ${linkTops.join(', ')}`).toBe(1);
	const brandBottom = await page.getByRole('banner').getByRole('link', { name: '上门服务' }).evaluate((a) => a.getBoundingClientRect().bottom);
	expect(linkTops[0]).toBeGreaterThanOrEqual(Math.floor(brandBottom));
	const counts = page.getByRole('region', { name: /各网点上门申请数量（按状态）|Home-visit requests per outlet/ });
	expect(await counts.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
	// Failed reminders are counted on the overview, which links the job queue (issue 15).
	await expect(page.getByTestId('dead-jobs')).toHaveAttribute('href', '/admin/jobs');
	await expect(page.getByTestId('dead-jobs')).toContainText('条提醒发送失败');

	// No raw code (evidence_accept, sync_apply, device…) in 最近操作记录, in either language.
	const rawCodes = async () => {
		const cells = await page.locator('section[aria-labelledby="audit-heading"] tbody td:nth-child(n+3)').allTextContents();
		expect(cells.length).toBeGreaterThan(0);
		return cells.filter((c) => /^[a-z][a-z0-9_]*$/.test(c.trim()) || /^(其他操作|其他|Other action|Other) ?[（(][a-z0-9_]+[)）]$/.test(c.trim()));
	};
	expect(await rawCodes()).toEqual([]);
	await shot(page, 'admin-overview-zh');
	await switchLanguage(page);
	expect(await rawCodes()).toEqual([]);
	expect(await counts.evaluate((el) => el.scrollWidth - el.clientWidth), 'English column heads fit too').toBeLessThanOrEqual(0);
	await shot(page, 'admin-overview-en');
	await switchLanguage(page);

	const communities = await page.goto('/admin/communities');
	expect(communities?.status()).toBe(200);
	await expect(page).toHaveURL(/\/admin\/outlets/);
	await expect(page.getByRole('heading', { name: '社区', exact: true })).toBeVisible();

	const missing = await page.goto('/admin/no-such-page');
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
	await expect(page.getByRole('banner').getByRole('link', { name: '全部申请' })).toBeVisible();
	await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
	await expectAccessible(page);
	await shot(page, 'not-found-zh');

	// A typed /logout is not a 405 page; it changes nothing (a GET must not sign out).
	const logout = await page.goto('/logout');
	expect(logout?.status()).toBe(200);
	await expect(page).toHaveURL(/\/admin$/);
	await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
});

test('worker: the error summary names every field; required fields are marked; 街道 prefilled', async ({ page }) => {
	test.setTimeout(150_000);
	await login(page, 'worker1');
	await page.goto('/requests/new');
	await page.getByLabel('新居民').check();
	await expect(page.getByLabel(/^所在街道/)).toHaveValue('城厢街道');
	for (const legend of ['1. 居民', '2. 需要办理的业务', '3. 方便上门的时间', '5. 知情同意']) {
		await expect(page.locator('legend', { hasText: legend })).toContainText('*');
	}
	await page.getByLabel(/^日期 1/).fill('');
	await page.getByRole('button', { name: '提交申请' }).click();
	const summary = page.getByRole('alert').filter({ hasText: '请更正以下问题' });
	const items = (await summary.locator('li').allTextContents()).map((s) => s.trim());
	expect(items.length).toBeGreaterThan(4);
	// Each line names its field: "居民姓名：此项为必填项。", never a bare "此项为必填项。".
	expect(items.filter((i) => !/^.+：.+/.test(i))).toEqual([]);
	expect(new Set(items).size).toBe(items.length);
	expect(items).toEqual(expect.arrayContaining([expect.stringMatching(/^居民姓名：/), expect.stringMatching(/^需要办理的业务：/), expect.stringMatching(/^已宣读并获得同意：/)]));
	await expectAccessible(page);
	await shot(page, 'new-request-errors-zh');
	await switchLanguage(page);
	await page.getByLabel('New resident').check();
	await page.getByRole('button', { name: /Submit/ }).click();
	const en = (await page.getByRole('alert').locator('li').allTextContents()).map((s) => s.trim());
	expect(en.filter((i) => !/^.+: .+/.test(i))).toEqual([]);
	await shot(page, 'new-request-errors-en');
	await switchLanguage(page);
});

test('head: live progress as the tablet syncs, one timeline line per sync, review and sheet', async ({ page, baseURL }) => {
	// A long walk through three roles, waiting once for the page's own refresh (every 15 s).
	test.setTimeout(240_000);
	const base = String(baseURL);
	const visit = await planVisit(base, DATA_DIR, { date: shanghaiDate(1), start: '07:05', end: '07:35', lead: 'staff1', second: 'staff2', tag: '进展测试' });

	// staff1's tablet, over the real sync API.
	const { request } = await import('@playwright/test');
	const tablet: APIRequestContext = await request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
	try {
		expect((await tablet.post('/login', { form: { username: 'staff1', password: DEMO_PASSWORD }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status()).toBe(303);
		const device = ((await (await tablet.post('/api/devices', { data: { label: 'progress test' } })).json()) as { id: string }).id;
		let version = 1;
		const push = async (type: string, payload: unknown) => {
			const r = await tablet.post('/api/sync/push', {
				data: { mutations: [{ id: crypto.randomUUID(), type, entityId: visit.visitId, baseVersion: version, payload, createdAt: new Date().toISOString(), deviceId: device }] },
				headers: { 'x-doorstep-device': device }
			});
			const body = (await r.json()) as { results: { status: string; visit: { version: number } | null }[] };
			expect(body.results.map((x) => x.status), type).toEqual(['applied']);
			version = body.results[0].visit?.version ?? version;
		};
		const now = () => new Date().toISOString();
		// No 出发: straight to 到达, ~11 m from the pin; then five checklist ticks.
		await push('visit.arrive', { at: now(), lat: 30.1572, lng: 120.2578, accuracyM: 9, distanceM: 11 });
		for (const ticked of [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]) await push('visit.checklist', { serviceCode: 'pin_reset', ticked, at: now() });

		await login(page, 'head1');
		await page.goto(`/approvals/${visit.requestId}`);
		const progress = page.getByTestId('visit-progress');
		await expect(progress.locator('[data-step=travel]')).toContainText('未记录');
		await expect(progress.locator('[data-step=arrive]')).toContainText('距居民定位 11 米');
		await expect(progress.locator('[data-step=complete]')).toContainText('尚未同步');
		const timeline = page.getByRole('list', { name: '办理记录' });
		await expect(timeline.locator('li[data-action=sync_group]')).toHaveCount(1);
		await expect(timeline.locator('li[data-action=sync_group]')).toContainText('更新服务清单 1 项');
		await expect(timeline.locator('li[data-action=approve]')).toContainText('07:05–07:35');

		// The tablet finishes while the head's page is open: the page follows without a reload.
		await push('visit.service_outcome', { serviceCode: 'pin_reset', outcome: 'done', note: null, at: now() });
		const s1 = await tablet.get('/api/me').then((r) => r.json() as Promise<{ id: string }>);
		const s2 = (await import('./field-helpers')).userId(DATA_DIR, 'staff2');
		const kinds = ['id_front', 'id_back', 'staff_with_customer', 'signed_document'];
		// Real photo bytes and a real signature, drawn by the head's browser before signing in.
		const photos = await Promise.all(kinds.map(async (kind, i) => ({ id: crypto.randomUUID(), kind, bytes: await jpeg(page, i + 1) })));
		const signature = await signaturePng(page);
		await push('visit.complete', {
			outcome: 'completed',
			note: '已重置密码',
			visitedAt: now(),
			consent: { consentBy: 'resident', name: visit.residentName, relation: null, consentVersion: CURRENT_CONSENT_VERSION, consentHash: await consentHash(CURRENT_CONSENT_VERSION), signature, signedAt: now() },
			confirmedBy: [s1.id, s2],
			photos: photos.map((p) => ({ id: p.id, kind: p.kind, sha256: sha256(p.bytes), bytes: p.bytes.length, takenAt: now(), position: { lat: 30.1572, lng: 120.2578, accuracyM: 9 } }))
		});
		await expect(progress.locator('[data-step=complete]')).toContainText('已完成', { timeout: 45_000 });
		await expect(progress.locator('[data-step=services]')).toContainText('已完成 1/1 项');
		await expect(progress.locator('[data-step=photos]')).toContainText('已收到 0/4 张');
		await expect(timeline.locator('li[data-action=sync_group]')).toHaveCount(1);
		await expect(timeline.locator('li[data-action=sync_group]')).toContainText('上门结果：已完成');
		await expect(timeline.locator('li[data-action=sync_apply]')).toHaveCount(0);
		// 网点办结 says the evidence is not reviewed yet.
		await expect(page.getByTestId('process-review')).toContainText('尚未审核');
		await expectAccessible(page);
		await shot(page, 'head-progress-zh');

		// Listed but not received: no "认可凭证" yet, the page says why, and the server refuses it too.
		await expect(page.getByTestId('review-waiting')).toContainText('还在等平板上传 4 张照片');
		await expect(page.getByRole('button', { name: '认可凭证' })).toHaveCount(0);
		const early = await page.request.post(`/approvals/${visit.requestId}?/evidence_accept`, { form: { visitId: visit.visitId }, headers: { origin: base, accept: 'text/html' }, maxRedirects: 0 });
		expect(early.status()).toBe(409);
		expect(await early.text()).toContain('还有照片没有从平板传到');

		// The tablet uploads the four photos; the page follows and offers the acceptance.
		for (const p of photos) {
			const put = await tablet.put(`/api/photos/${p.id}`, {
				data: p.bytes,
				headers: { 'content-type': 'image/jpeg', 'x-photo-sha256': sha256(p.bytes), 'x-photo-visit': visit.visitId, 'x-photo-kind': p.kind, 'x-photo-taken-at': now(), 'x-photo-position': '30.1572,120.2578,9' }
			});
			expect(put.status(), p.kind).toBe(201);
		}
		await page.reload();
		await expect(progress.locator('[data-step=photos]')).toContainText('已收到 4/4 张');
		await page.getByRole('button', { name: '认可凭证' }).click();
		await expect(page.getByTestId('review-status')).toContainText('已认可');
		await expect(page.getByRole('button', { name: '认可凭证' })).toHaveCount(0);
		await expect(page.getByTestId('process-review')).toContainText('已认可');
		await shot(page, 'head-accepted-zh');

		await page.getByRole('link', { name: '打印凭证单' }).click();
		const sheet = page.getByTestId('evidence-sheet');
		await expect(sheet).toContainText('城厢支行营业部');
		await expect(page.getByTestId('sheet-review')).toContainText('已认可');
		await expect(sheet.getByTestId('visit-evidence')).toContainText('未记录');
		await shot(page, 'evidence-sheet-zh');
		await switchLanguage(page);
		await expect(sheet.getByTestId('visit-evidence')).toContainText('Not recorded');
		await shot(page, 'evidence-sheet-en');
		await page.goto(`/approvals/${visit.requestId}`);
		await shot(page, 'head-progress-en');
		await page.goto('/approvals/day?date=' + visit.date);
		await expect(page.getByTestId('visit-progress').filter({ hasText: '11 m' }).first()).toBeVisible();
		await shot(page, 'day-view-en');
		await switchLanguage(page);
		await shot(page, 'day-view-zh');

		// The community worker: the plain outcome, none of the tablet's mechanics.
		await page.getByRole('button', { name: '退出登录' }).click();
		await login(page, 'worker1');
		await page.goto(`/requests/${visit.requestId}`);
		const workerTimeline = page.getByRole('list', { name: '办理记录' });
		await expect(workerTimeline.locator('li[data-action=record_outcome]')).toContainText('已完成');
		await expect(workerTimeline.locator('li[data-action=sync_group]')).toHaveCount(0);
		await expect(workerTimeline).not.toContainText('外勤平板');
		await expect(page.getByText(/城厢街道、高桥社区/)).toBeVisible();
		await shot(page, 'worker-request-zh');
	} finally {
		await tablet.dispose();
	}
});
