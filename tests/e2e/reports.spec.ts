import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { expectAccessible, login, serverDb, shanghaiDate } from './helpers';

/*
 * /reports in Chromium against the built server and its demo data: the head sees only their
 * outlet, the ledger XLSX parses back with the outlet's rows and no full ID number, the page
 * passes axe, and ECharts is loaded by this page only (the build's manifest).
 */

const from = shanghaiDate(-120);
const to = shanghaiDate(0);
const range = `from=${from}&to=${to}`;
const SCREENS = path.resolve('.tmp/screens');

function outletsAndRequests() {
	const db = serverDb();
	try {
		const head1 = db.prepare(`select outlet_id from users where username = 'head1'`).get() as { outlet_id: string };
		const outlets = db.prepare(`select id, name from outlets order by name`).all() as { id: string; name: string }[];
		const startIso = new Date(`${from}T00:00:00+08:00`).toISOString();
		const endIso = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();
		const refs = (db.prepare(`select ref from requests where outlet_id = ? and created_at >= ? and created_at < ? order by created_at, id`).all(head1.outlet_id, startIso, endIso) as { ref: string }[]).map((r) => r.ref);
		const otherRefs = (db.prepare(`select ref from requests where outlet_id <> ?`).all(head1.outlet_id) as { ref: string }[]).map((r) => r.ref);
		const ids = (db.prepare(`select id_number, phone from residents`).all() as { id_number: string; phone: string }[]);
		const communities = (db.prepare(`select name from communities where outlet_id = ? order by name`).all(head1.outlet_id) as { name: string }[]).map((c) => c.name);
		return { head1Outlet: head1.outlet_id, outlets, refs, otherRefs, ids, communities };
	} finally {
		db.close();
	}
}

test('head1 sees only outlet 1: scope, filters, overdue links; another outlet is refused', async ({ page }) => {
	test.setTimeout(180_000); // axe over a page of SVG charts takes a while on a loaded machine
	const errors: string[] = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error') errors.push(msg.text());
	});
	const fx = outletsAndRequests();
	const own = fx.outlets.find((o) => o.id === fx.head1Outlet)!;
	await login(page, 'head1');
	await page.getByRole('link', { name: '报表' }).click();
	await expect(page).toHaveURL(/\/reports$/);
	await page.goto(`/reports?${range}`);
	await expect(page.locator('[data-scope]')).toContainText(own.name);
	// No outlet filter for a head; the community choices are outlet 1's only.
	await expect(page.locator('#f-outlet')).toHaveCount(0);
	const options = await page.locator('#f-community option').allTextContents();
	expect(options.slice(1).sort()).toEqual([...fx.communities].sort());
	// The overdue list links to the head's own request pages; no other outlet's ref appears.
	const body = await page.locator('main').innerText();
	for (const ref of fx.otherRefs) expect(body).not.toContain(ref);
	for (const href of await page.locator('[data-table="overdue"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(href).toMatch(/^\/approvals\/[0-9a-f-]+$/);
	await expect(page.locator('[data-kpi="received"] .value')).toHaveText(String(fx.refs.length));
	// Every chart is drawn (SVG) and nothing was refused by the CSP.
	const charts = page.locator('[data-chart]');
	expect(await charts.count()).toBeGreaterThanOrEqual(5);
	for (const chart of await charts.all()) await expect(chart).toHaveAttribute('data-ready', 'true');
	await expect(page.locator('[data-chart] svg').first()).toBeVisible();
	expect(errors).toEqual([]);
	await expectAccessible(page);

	const other = fx.outlets.find((o) => o.id !== fx.head1Outlet)!;
	const refused = await page.goto(`/reports?${range}&outlet=${other.id}`);
	expect(refused?.status()).toBe(403);
	const bad = await page.goto(`/reports?from=${to}&to=${from}`);
	expect(bad?.status()).toBe(400);
	await expect(page.locator('body')).toContainText('开始日期晚于结束日期');
	expect((await page.request.get(`/reports/ledger.xlsx?${range}&outlet=${other.id}`)).status()).toBe(403);
	expect((await page.request.get(`/reports/ledger.csv?month=2026-13`)).status()).toBe(400);
	expect((await page.request.get(`/reports/ledger.csv`)).status(), 'an export without a period').toBe(400);
});

test('the ledger XLSX has outlet 1’s rows, a summary sheet, no full ID or phone; the export is audited', async ({ page }) => {
	const fx = outletsAndRequests();
	await login(page, 'head1');
	await page.goto(`/reports?${range}`);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出台账 Excel' }).click()]);
	const file = await download.path();
	const bytes = fs.readFileSync(file);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(bytes as unknown as ArrayBuffer);
	expect(wb.worksheets.map((s) => s.name)).toEqual(['台账', '汇总']);
	const sheet = wb.worksheets[0];
	expect(sheet.getRow(1).getCell(1).value).toBe('申请编号');
	expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
	const refs: string[] = [];
	sheet.eachRow((row, n) => {
		if (n > 1) refs.push(String(row.getCell(1).value));
	});
	expect(refs).toEqual(fx.refs);
	expect(refs.length).toBeGreaterThan(0);
	const maskedIds: string[] = [];
	sheet.eachRow((row, n) => {
		if (n > 1) maskedIds.push(String(row.getCell(5).value));
	});
	for (const id of maskedIds) expect(id).toMatch(/^\d\*{16}[\dX]$/);
	// Every cell of both sheets, as text: no resident's full ID number or phone.
	const text = wb.worksheets.map((s) => JSON.stringify(s.getSheetValues())).join('\n');
	for (const { id_number, phone } of fx.ids) {
		expect(text).not.toContain(id_number);
		expect(text).not.toContain(phone);
	}
	const db = serverDb();
	try {
		const audit = db.prepare(`select details from audit_log where action = 'report_export' order by seq desc limit 1`).get() as { details: string } | undefined;
		expect(JSON.parse(audit!.details)).toMatchObject({ format: 'xlsx', from, to, outletId: fx.head1Outlet });
	} finally {
		db.close();
	}
	const csv = await page.request.get(`/reports/ledger.csv?${range}`);
	const csvBytes = Buffer.from(await csv.body());
	expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(csvBytes.toString('utf8').trim().split('\r\n')).toHaveLength(fx.refs.length + 1);
});

test('the admin’s branch report in Chinese and English (screenshots), axe in both; ECharts only on /reports', async ({ page }) => {
	test.setTimeout(300_000); // two full-page screenshots and two axe runs per language on a loaded machine
	fs.mkdirSync(SCREENS, { recursive: true });
	await login(page, 'admin');
	for (const locale of ['zh', 'en'] as const) {
		await page.goto(`/reports?${range}`);
		if (locale === 'en') {
			await page.getByRole('button', { name: 'English' }).click();
			await expect(page.locator('h1')).toHaveText('Home-service ledger and time-limit report');
		}
		for (const chart of await page.locator('[data-chart]').all()) await expect(chart).toHaveAttribute('data-ready', 'true');
		await page.screenshot({ path: path.join(SCREENS, `reports-${locale}.png`), fullPage: true });
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: path.join(SCREENS, `reports-print-${locale}.png`), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
		await expectAccessible(page);
	}
	// The build: the ECharts chunk is reached only through a dynamic import, from one page.
	const manifest = JSON.parse(fs.readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')) as Record<string, { imports?: string[]; dynamicImports?: string[]; src?: string }>;
	const key = 'src/lib/components/reports/echarts.ts';
	const staticImporters = Object.keys(manifest).filter((k) => manifest[k].imports?.includes(key));
	const dynamicImporters = Object.keys(manifest).filter((k) => manifest[k].dynamicImports?.includes(key));
	expect(staticImporters).toEqual([]);
	expect(dynamicImporters).toHaveLength(1);
});
