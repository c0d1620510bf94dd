/**
 * Lighthouse (mobile) on the pages each role opens first, against the built server with demo
 * data: the login page, the community worker's new request, the outlet head's inbox and dispatch
 * board, the field home and a field visit. Prints each page's category scores and the JavaScript
 * it loads, gzip-compressed (measured by compressing the very files the page fetched).
 *
 * Each page is measured LH_RUNS times (default 3) and the median run (by performance score) is
 * printed, with every run's performance score: on a shared, loaded machine single runs vary by
 * ten points and more. The field pages are measured as a fresh load shows them (the app opens
 * locked, so the PIN screen is what paints; the route's own code is loaded all the same).
 *
 *   npm run build && npm run bench:lighthouse
 *   LH_RUNS=5 LH_PORT=4192 LH_DEBUG_PORT=9333 npm run bench:lighthouse
 *   LH_PAGES=field LH_REPORT_DIR=.tmp/lh npm run bench:lighthouse   # only pages whose name has "field"; keep each median report (JSON)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const port = Number(process.env.LH_PORT ?? 4192);
const debugPort = Number(process.env.LH_DEBUG_PORT ?? 9333);
const runs = Math.max(1, Math.min(9, Number(process.env.LH_RUNS ?? 3) || 3));
const base = `http://127.0.0.1:${port}`;
const dataDir = '.tmp/lighthouse';
const pageFilter = process.env.LH_PAGES ?? '';
const reportDir = process.env.LH_REPORT_DIR ?? '';

type Target = { name: string; path: string; user: string | null };

async function startServer(): Promise<ChildProcess> {
	const server = spawn('node', ['scripts/e2e-server.js'], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, E2E_DATA_DIR: dataDir },
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

/** A demo visit of staff1 (as lead or second), for the field visit page. */
function staffVisitPath(): string {
	const db = new Database(path.join(root, dataDir, 'doorstep.sqlite'), { readonly: true });
	try {
		const row = db
			.prepare(`select v.id from visits v join users u on u.id in (v.lead_staff_id, v.second_staff_id) where u.username = 'staff1' order by v.date desc limit 1`)
			.get() as { id: string } | undefined;
		if (!row) throw new Error('no demo visit of staff1');
		return `/field/visits/${row.id}`;
	} finally {
		db.close();
	}
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
const PAGES: Target[] = [
	{ name: 'login', path: '/login', user: null },
	{ name: 'worker new request', path: '/requests/new', user: 'worker1' },
	{ name: 'outlet head inbox', path: '/approvals', user: 'head1' },
	{ name: 'dispatch board', path: '/approvals/dispatch', user: 'head1' },
	{ name: 'field home', path: '/field', user: 'staff1' },
	{ name: 'field visit', path: staffVisitPath(), user: 'staff1' }
];
const userDataDir = path.join(root, '.tmp/lighthouse-profile-' + Date.now());
const browser = await chromium.launchPersistentContext(userDataDir, {
	executablePath,
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--remote-debugging-port=${debugPort}`]
});

/** One Lighthouse run on a page, signed in as its user first. */
async function measure(target: Target) {
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
	const requests = (lhr.audits['network-requests']?.details as { items?: { url: string; resourceType?: string }[] } | undefined)?.items ?? [];
	const scripts = requests.filter((r) => r.resourceType === 'Script').map((r) => r.url);
	return { lhr, perf: Math.round((lhr.categories.performance?.score ?? 0) * 100), scripts: scripts.length, kb: (gzipBytesOf(scripts) / 1024).toFixed(1) };
}

try {
	console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, ${base}`);
	console.log(`${runs} run(s) per page, the median run shown (performance of every run in brackets)`);
	console.log('page                 perf  a11y  best  seo   JS files  JS gzip (KB)  runs');
	for (const target of PAGES.filter((p) => p.name.includes(pageFilter))) {
		const results = [];
		for (let i = 0; i < runs; i++) results.push(await measure(target));
		results.sort((a, b) => a.perf - b.perf);
		const median = results[Math.floor((results.length - 1) / 2)];
		const lhr = median.lhr;
		if (reportDir) {
			mkdirSync(reportDir, { recursive: true });
			writeFileSync(path.join(reportDir, `${target.name.replaceAll(' ', '-')}.json`), JSON.stringify(lhr));
		}
		const score = (id: string) => String(Math.round((lhr.categories[id]?.score ?? 0) * 100)).padStart(4);
		console.log(`${target.name.padEnd(20)} ${score('performance')}  ${score('accessibility')}  ${score('best-practices')}  ${score('seo')}   ${String(median.scripts).padStart(8)}  ${median.kb.padStart(12)}  [${results.map((r) => r.perf).join(' ')}]`);
		console.log(`  FCP ${lhr.audits['first-contentful-paint']?.displayValue}, LCP ${lhr.audits['largest-contentful-paint']?.displayValue}, TBT ${lhr.audits['total-blocking-time']?.displayValue}, CLS ${lhr.audits['cumulative-layout-shift']?.displayValue}`);
		// What keeps the other categories below 100: their failed audits, to know what to fix.
		const failed = Object.values(lhr.categories)
			.filter((c) => c.id !== 'performance')
			.flatMap((c) => c.auditRefs.filter((r) => r.weight > 0 && (lhr.audits[r.id]?.score ?? 1) < 1).map((r) => r.id));
		if (failed.length) console.log(`  failing: ${[...new Set(failed)].join(', ')}`);
		// What Lighthouse says would make the page faster (opportunities worth 100 ms or more).
		const slow = Object.values(lhr.audits)
			.filter((a) => (a.details as { type?: string; overallSavingsMs?: number } | undefined)?.type === 'opportunity' && ((a.details as { overallSavingsMs?: number }).overallSavingsMs ?? 0) >= 100)
			.map((a) => `${a.id} ${Math.round((a.details as { overallSavingsMs: number }).overallSavingsMs)} ms`);
		if (slow.length) console.log(`  opportunities: ${slow.join(', ')}`);
	}
} finally {
	await browser.close();
	server.kill();
}
