/**
 * Lighthouse (mobile) on the login page, the outlet head's inbox and the field home, against the
 * built server with demo data. Prints each page's category scores and the JavaScript it loads,
 * gzip-compressed (measured by compressing the very files the page fetched).
 *
 *   npm run build && npm run bench:lighthouse
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const port = Number(process.env.LH_PORT ?? 4192);
const debugPort = Number(process.env.LH_DEBUG_PORT ?? 9333);
const base = `http://127.0.0.1:${port}`;
const PAGES = [
	{ name: 'login', path: '/login', user: null },
	{ name: 'outlet head inbox', path: '/approvals', user: 'head1' },
	{ name: 'field home', path: '/field', user: 'staff1' }
] as const;

async function startServer(): Promise<ChildProcess> {
	const server = spawn('node', ['scripts/e2e-server.js'], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, E2E_DATA_DIR: '.tmp/lighthouse' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(`${base}/login`)).ok) return server;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	server.kill();
	throw new Error('server did not start');
}

/** Gzip size of the page's scripts, from the built files (the server itself may send brotli). */
function gzipBytesOf(urls: string[]): number {
	let total = 0;
	for (const url of urls) {
		const file = path.join(root, 'build/client', new URL(url).pathname);
		if (existsSync(file)) total += gzipSync(readFileSync(file), { level: 9 }).length;
	}
	return total;
}

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const server = await startServer();
const userDataDir = path.join(root, '.tmp/lighthouse-profile-' + Date.now());
const browser = await chromium.launchPersistentContext(userDataDir, {
	executablePath,
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--remote-debugging-port=${debugPort}`]
});
try {
	console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, ${base}`);
	console.log('page                 perf  a11y  best  seo   JS files  JS gzip (KB)');
	for (const target of PAGES) {
		const page = await browser.newPage();
		await page.context().clearCookies();
		if (target.user) {
			await page.goto(`${base}/login`);
			await page.fill('#username', target.user);
			await page.fill('#password', 'Doorstep-2026');
			await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
		}
		await page.close();
		const result = await lighthouse(`${base}${target.path}`, { port: debugPort, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
		if (!result) throw new Error(`no result for ${target.path}`);
		const lhr = result.lhr;
		const score = (id: string) => String(Math.round((lhr.categories[id]?.score ?? 0) * 100)).padStart(4);
		const requests = (lhr.audits['network-requests']?.details as { items?: { url: string; resourceType?: string }[] } | undefined)?.items ?? [];
		const scripts = requests.filter((r) => r.resourceType === 'Script').map((r) => r.url);
		const kb = (gzipBytesOf(scripts) / 1024).toFixed(1);
		console.log(`${target.name.padEnd(20)} ${score('performance')}  ${score('accessibility')}  ${score('best-practices')}  ${score('seo')}   ${String(scripts.length).padStart(8)}  ${kb.padStart(12)}`);
		console.log(`  FCP ${lhr.audits['first-contentful-paint']?.displayValue}, LCP ${lhr.audits['largest-contentful-paint']?.displayValue}, TBT ${lhr.audits['total-blocking-time']?.displayValue}, CLS ${lhr.audits['cumulative-layout-shift']?.displayValue}`);
	}
} finally {
	await browser.close();
	server.kill();
}
