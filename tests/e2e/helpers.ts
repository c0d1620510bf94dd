import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import path from 'node:path';

export const DEMO_PASSWORD = 'Doorstep-2026';

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.fill('#username', username);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

export async function logout(page: Page) {
	// The office pages sign out with a form, the field app with a button: the same words in both.
	await page.getByRole('button', { name: /^(退出登录|Sign out)$/ }).click();
	await page.waitForURL('**/login');
}

/** WCAG 2.2 AA check of the current page with axe-core. */
export async function expectAccessible(page: Page) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The e2e server's own SQLite file, opened read-only to check what was (not) written. */
export function serverDb() {
	const dir = path.resolve(process.env.E2E_DATA_DIR || '.tmp/e2e-data');
	return new Database(path.join(dir, 'doorstep.sqlite'), { readonly: true, fileMustExist: true });
}

export function count(table: string): number {
	const db = serverDb();
	try {
		return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
	} finally {
		db.close();
	}
}

/** A date `days` after today in Asia/Shanghai, `YYYY-MM-DD`. */
export function shanghaiDate(days = 0): string {
	return new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
