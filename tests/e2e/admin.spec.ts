import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD, expectAccessible, login, serverDb } from './helpers';

/**
 * The branch administrator's area in real Chromium against the built server and a fresh demo
 * database. Texts come from the message files, so rewording a label does not break the tests.
 */
const zh = {
	...(JSON.parse(readFileSync('messages/zh.json', 'utf8')) as Record<string, string>),
	...(JSON.parse(readFileSync('messages/admin/zh.json', 'utf8')) as Record<string, string>)
};

const ADMIN_PAGES = ['/admin', '/admin/users', '/admin/outlets', '/admin/services', '/admin/calendar', '/admin/requests'];
const TEMP_PASSWORD = 'Temp-Pass-2026';

function usersWithName(username: string): number {
	const db = serverDb();
	try {
		return (db.prepare('select count(*) as n from users where username = ?').get(username) as { n: number }).n;
	} finally {
		db.close();
	}
}

async function createAccount(page: Page, a: { username: string; name: string; role: string; outlet?: string }) {
	await page.getByRole('button', { name: zh.admin_user_create, exact: true }).click();
	const dialog = page.getByRole('dialog', { name: zh.admin_user_create });
	await dialog.getByLabel(zh.admin_user_username).fill(a.username);
	await dialog.getByLabel(zh.admin_user_display_name).fill(a.name);
	await dialog.getByLabel(zh.admin_user_role).selectOption(a.role);
	if (a.outlet) await dialog.getByLabel(zh.admin_user_outlet).selectOption({ label: a.outlet });
	await dialog.getByLabel(zh.admin_user_initial_password).fill(TEMP_PASSWORD);
	await dialog.getByRole('button', { name: zh.admin_user_create_submit }).click();
	return dialog;
}

/** Signs in on a fresh browser context; returns the page and where the login ended. */
async function tryLogin(browser: Browser, username: string, password: string) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/login');
	await page.fill('#username', username);
	await page.fill('#password', password);
	await page.click('button[type=submit]');
	await page.waitForLoadState('networkidle');
	return { page, context };
}

test('admin creates a field staff account that can sign in, then deactivates it', async ({ page, browser }) => {
	await login(page, 'admin');
	await page.goto('/admin/users');
	const dialog = await createAccount(page, { username: 'e2e_staff', name: '测试外勤', role: 'field_staff', outlet: '北干网点' });
	await expect(page.getByRole('status').filter({ hasText: zh.admin_notice_user_created })).toBeVisible();
	await expect(dialog).toBeHidden();
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'e2e_staff', exact: true }) });
	await expect(row).toContainText('北干网点');
	await expect(row).toContainText(zh.role_field_staff);

	// The new user signs in and lands in the field staff's area.
	const staff = await tryLogin(browser, 'e2e_staff', TEMP_PASSWORD);
	await expect(staff.page).toHaveURL(/\/field/);

	// Deactivation ends the open session and refuses new sign-ins.
	await row.getByRole('button', { name: zh.admin_deactivate }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.admin_notice_user_deactivated })).toBeVisible();
	await expect(row).toContainText(zh.admin_inactive);
	await staff.page.goto('/field');
	await expect(staff.page).toHaveURL(/\/login/);
	await staff.context.close();
	const again = await tryLogin(browser, 'e2e_staff', TEMP_PASSWORD);
	await expect(again.page).toHaveURL(/\/login/);
	await expect(again.page.getByRole('alert')).toContainText(zh.err_login_invalid);
	await again.context.close();
});

test('a duplicate username shows a clear message and creates nothing', async ({ page }) => {
	await login(page, 'admin');
	await page.goto('/admin/users');
	const dialog = await createAccount(page, { username: 'staff1', name: '重复账号', role: 'field_staff', outlet: '北干网点' });
	// The dialog stays open with the message in the summary and next to the field, input kept.
	await expect(dialog.locator('#user-create-username-error')).toHaveText(zh.admin_err_username_taken);
	await expect(dialog.getByRole('alert')).toContainText(zh.admin_err_username_taken);
	await expect(dialog.getByLabel(zh.admin_user_display_name)).toHaveValue('重复账号');
	await expectAccessible(page);
	expect(usersWithName('staff1')).toBe(1);
	await page.goto('/admin/users?q=' + encodeURIComponent('重复账号'));
	await expect(page.getByRole('cell', { name: zh.admin_users_none })).toBeVisible();
});

test('editing a service duration persists', async ({ page }) => {
	await login(page, 'admin');
	await page.goto('/admin/services');
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'pin_reset', exact: true }) });
	await row.getByRole('button', { name: zh.admin_edit }).click();
	const dialog = page.getByRole('dialog', { name: zh.admin_service_edit });
	await dialog.getByLabel(zh.admin_service_duration).fill('45');
	// The service's required photos show ticked and stay as they were.
	const requiredBefore = requiredPhotosOf('pin_reset');
	expect(requiredBefore.length).toBeGreaterThan(0);
	for (const kind of requiredBefore) await expect(dialog.locator(`input[name="requiredPhotos[]"][value="${kind}"]`)).toBeChecked();
	await dialog.getByRole('button', { name: zh.admin_save }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.admin_notice_service_updated })).toBeVisible();
	await page.reload();
	await expect(row).toContainText(zh.minutes.replace('{n}', '45'));
	expect(requiredPhotosOf('pin_reset')).toEqual(requiredBefore);
});

function requiredPhotosOf(code: string): string[] {
	const db = serverDb();
	try {
		return JSON.parse((db.prepare('select required_photos as r from services where code = ?').get(code) as { r: string }).r) as string[];
	} finally {
		db.close();
	}
}

test('the administrator chooses which photos a service requires', async ({ page }) => {
	const code = `photo_test_${Date.now().toString(36)}`;
	await login(page, 'admin');
	await page.goto('/admin/services');
	await page.getByRole('button', { name: zh.admin_service_create }).click();
	const dialog = page.getByRole('dialog', { name: zh.admin_service_create });
	await dialog.getByLabel(zh.admin_service_code).fill(code);
	await dialog.getByLabel(zh.admin_service_name_zh).fill('照片测试业务');
	await dialog.getByLabel(zh.admin_service_name_en).fill('Photo test');
	await expect(dialog.getByRole('group', { name: zh.admin_service_required_photos })).toBeVisible();
	await dialog.getByLabel('身份证国徽面').uncheck();
	await dialog.getByLabel('工作人员与客户合影').check();
	await expectAccessible(page);
	await dialog.getByRole('button', { name: zh.admin_save }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.admin_notice_service_created })).toBeVisible();
	expect(requiredPhotosOf(code).sort()).toEqual(['id_front', 'staff_with_customer']);

	// Untick everything: the service requires no photo.
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: code, exact: true }) });
	await row.getByRole('button', { name: zh.admin_edit }).click();
	const edit = page.getByRole('dialog', { name: zh.admin_service_edit });
	for (const box of await edit.locator('input[name="requiredPhotos[]"]').all()) await box.uncheck();
	await edit.getByRole('button', { name: zh.admin_save }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.admin_notice_service_updated })).toBeVisible();
	expect(requiredPhotosOf(code)).toEqual([]);
});

test('adding a holiday persists; a workday on a weekday is refused', async ({ page }) => {
	await login(page, 'admin');
	await page.goto('/admin/calendar?year=2031');
	const add = page.locator('section', { has: page.getByRole('heading', { name: zh.admin_calendar_add_heading }) });
	// 2031-01-07 is a Tuesday: as an adjusted working day it would mean nothing.
	await add.getByLabel(zh.admin_calendar_date).fill('2031-01-07');
	await add.getByLabel(zh.admin_calendar_kind).selectOption('workday');
	await add.getByLabel(zh.admin_calendar_name).fill('测试');
	await add.getByRole('button', { name: zh.admin_calendar_add }).click();
	await expect(page.locator('#day-add-kind-error')).toHaveText(zh.admin_err_workday_weekday);

	await add.getByLabel(zh.admin_calendar_date).fill('2031-01-01');
	await add.getByLabel(zh.admin_calendar_kind).selectOption('holiday');
	await add.getByLabel(zh.admin_calendar_name).fill('元旦');
	await add.getByRole('button', { name: zh.admin_calendar_add }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.admin_notice_day_added })).toBeVisible();
	await page.reload();
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2031-01-01' }) });
	await expect(row).toContainText('元旦');
	await expect(row).toContainText(zh.admin_calendar_kind_holiday);
});

test('every admin page passes an axe WCAG 2.2 AA check', async ({ page }) => {
	await login(page, 'admin');
	for (const path of ADMIN_PAGES) {
		await test.step(path, async () => {
			const response = await page.goto(path);
			expect(response?.status()).toBe(200);
			await expect(page.locator('h1')).toBeVisible();
			await expectAccessible(page);
		});
	}
	// An open dialog too: the user form after a failed submit (summary + field errors).
	await page.goto('/admin/users');
	await page.getByRole('button', { name: zh.admin_user_create, exact: true }).click();
	await page.getByRole('dialog').getByRole('button', { name: zh.admin_user_create_submit }).click();
	await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible();
	await expectAccessible(page);
});

/** Posts a form to an action the way `use:enhance` does and returns SvelteKit's JSON answer. */
async function postAction(page: Page, url: string, form: Record<string, string>) {
	const origin = new URL(page.url()).origin;
	const response = await page.request.post(url, { headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' }, form });
	expect(response.status()).toBe(200);
	return (await response.json()) as { type: string; status?: number; data?: string };
}

test('bad input answers with a message, never a 500; an admin cannot deactivate themself', async ({ page }) => {
	await login(page, 'admin');
	await page.goto('/admin/users');
	const db = serverDb();
	const adminId = (db.prepare("select id from users where username = 'admin'").get() as { id: string }).id;
	db.close();
	const self = await postAction(page, '/admin/users?/deactivate', { id: adminId });
	expect(self).toMatchObject({ type: 'failure', status: 400 });
	expect(self.data).toContain('admin_err_self_deactivate');
	const outlet = await postAction(page, '/admin/outlets?/createOutlet', { name: 'x', address: 'y', lat: 'north', lng: '999', decideDays: '-1' });
	expect(outlet).toMatchObject({ type: 'failure', status: 400 });
	const service = await postAction(page, '/admin/services?/update', { id: 'no_such_service', nameZh: '某', nameEn: 'x', durationMin: '30', sort: '1' });
	expect(service).toMatchObject({ type: 'failure', status: 404 });
	// The admin is still active: the page still opens.
	expect((await page.goto('/admin'))?.status()).toBe(200);
});

test('a non-admin gets 403 on admin pages and admin actions', async ({ page }) => {
	await login(page, 'worker1');
	for (const path of ADMIN_PAGES) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
	}
	const origin = new URL(page.url()).origin;
	const response = await page.request.post('/admin/users?/create', {
		headers: { origin },
		form: { username: 'sneaky_user', displayName: 'x', role: 'admin', password: DEMO_PASSWORD + '!!' }
	});
	expect(response.status()).toBe(403);
	expect(usersWithName('sneaky_user')).toBe(0);
});
