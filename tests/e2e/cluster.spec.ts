import { expect, test, type Browser } from '@playwright/test';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPgCluster, type PgCluster } from '../../scripts/pg-test-cluster';
import { freePort, startApp, startProxy, stopApp, type AppProcess, type Proxy } from '../../scripts/app-cluster';
import { startTestS3, type TestS3 } from '../integration/s3-server';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ensureServiceWorker, fieldLogin, openVisitFromDayList, planVisit, tabletOptions, workVisit, type ServerLookups } from './field-helpers';
import { expectAccessible, login, shanghaiDate } from './helpers';
import { sha256 } from './photo-flow-helpers';

/*
 * Issue 12, point 8: two app processes (the built server) on one throwaway PostgreSQL database,
 * photos on S3 (s3rver), behind a round-robin proxy on loopback. Started together on the EMPTY
 * database; requests of one user land on both; the main workflow (request, approval, an offline
 * visit with photos, sync, evidence review) runs through it in Chromium; rate limits hold in total; kill -9 of one process
 * during a sync: the tablet retries through the other, nothing lost or duplicated; SIGTERM
 * drains. Their logs go to the e2e log folder (log-scan.ts searches them for personal data).
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });

let cluster: PgCluster;
let s3: TestS3;
let dbUrl: string;
let apps: AppProcess[] = [];
let proxy: Proxy;
let dataDir: string;

async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
	const client = new pg.Client(dbUrl);
	await client.connect();
	try {
		return (await client.query(text, params)).rows as T[];
	} finally {
		await client.end();
	}
}

async function signIn(base: string, username: string, password = 'Doorstep-2026'): Promise<{ status: number; cookie: string | null; retryAfter: string | null }> {
	const r = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ username, password }), redirect: 'manual', headers: { origin: base, accept: 'text/html' } });
	const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('doorstep_session=')) ?? null;
	await r.body?.cancel();
	return { status: r.status, cookie, retryAfter: r.headers.get('retry-after') };
}

/** Signs in through the proxy, waiting for the address's sign-in budget (after the rate test). */
async function signInWaiting(username: string): Promise<string> {
	let session = await signIn(proxy.url, username);
	for (let i = 0; i < 30 && !session.cookie; i++) {
		await new Promise((r) => setTimeout(r, Number(session.retryAfter ?? 2) * 1000));
		session = await signIn(proxy.url, username);
	}
	expect(session.cookie, `sign-in of ${username}`).toBeTruthy();
	return session.cookie!;
}

const api = (cookie: string, device?: string) => (path: string, body: unknown) =>
	fetch(`${proxy.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { origin: proxy.url, cookie, 'content-type': 'application/json', ...(device ? { 'x-doorstep-device': device } : {}) } });

async function registerDevice(cookie: string): Promise<string> {
	const r = await api(cookie)('/api/devices', { label: `cluster ${randomUUID().slice(0, 6)}` });
	expect(r.status).toBe(201);
	return ((await r.json()) as { id: string }).id;
}

test.beforeAll(async () => {
	// A PostgreSQL cluster, s3rver and two servers that migrate and seed (argon2 for every demo
	// account): over a minute on a loaded 2-core machine, more than a hook's default.
	test.setTimeout(300_000);
	const started = Date.now();
	cluster = await startPgCluster();
	const admin = new pg.Client(cluster.url);
	await admin.connect();
	await admin.query('create database doorstep_cluster');
	await admin.end();
	const url = new URL(cluster.url);
	url.pathname = '/doorstep_cluster';
	dbUrl = url.toString();
	s3 = await startTestS3();
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-cluster-'));
	const proxyPort = await freePort();
	const ports: number[] = [];
	while (ports.length < 2) {
		const p = await freePort();
		if (p !== proxyPort && !ports.includes(p)) ports.push(p);
	}
	const env = {
		DATABASE_URL: dbUrl,
		DATA_DIR: dataDir,
		SEED_DEMO: '1',
		ORIGIN: `http://127.0.0.1:${proxyPort}`,
		PHOTO_STORAGE: 's3',
		S3_ENDPOINT: s3.config.endpoint!,
		S3_BUCKET: s3.config.bucket,
		S3_ACCESS_KEY_ID: s3.config.accessKeyId!,
		S3_SECRET_ACCESS_KEY: s3.config.secretAccessKey!,
		RATE_LOGIN_PER_MINUTE: '6',
		RATE_SYNC_PER_MINUTE: '30'
	};
	// Both at once, on the empty database: migrations and the demo seed must not collide.
	apps = await Promise.all(ports.map((port) => startApp(env, { port, timeoutMs: 150_000 })));
	proxy = await startProxy(ports, proxyPort);
	console.log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s (PostgreSQL, s3rver, two servers from an empty database)`);
});

test.afterAll(async () => {
	await proxy?.close();
	await Promise.all(apps.map((a) => stopApp(a, 'SIGKILL')));
	await s3?.stop();
	await cluster?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('two processes started together on an empty database both come up; one demo seed; health endpoints', async () => {
	const [{ n: users }] = await query<{ n: string }>('select count(*) as n from users');
	const [{ n: branches }] = await query<{ n: string }>('select count(*) as n from branches');
	expect([Number(users), Number(branches)]).toEqual([18, 1]);
	for (const app of apps) {
		const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
		expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
		const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
		expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', database: true, storage: true, draining: false }]);
	}
	// The same through the proxy, with no session.
	expect((await fetch(`${proxy.url}/readyz`)).status).toBe(200);
});

test('the field app in Chromium through the proxy: one user lands on both processes', async ({ browser }: { browser: Browser }) => {
	const before = [...proxy.served.values()];
	const context = await browser.newContext({ baseURL: proxy.url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	const page = await context.newPage();
	await fieldLogin(page, 'staff1');
	// The day list comes from the tablet's store, filled by a pull through the proxy.
	await expect(page.locator('article.visit').first()).toBeVisible({ timeout: 30_000 });
	const after = [...proxy.served.values()];
	expect(after.every((n, i) => n > before[i]), `requests per process before ${before}, after ${after}`).toBe(true);
	await context.close();
});

/** The cluster's database, for the helpers that plan a visit through the form actions. */
const pgLookups: ServerLookups = {
	userId: async (username) => (await query<{ id: string }>('select id from users where username = $1', [username]))[0].id,
	scheduledVisit: async (requestId) =>
		(await query<{ visitId: string; ref: string }>(`select v.id as "visitId", r.ref from visits v join requests r on r.id = v.request_id where r.id = $1 and v.status = 'scheduled'`, [requestId]))[0]
};

test('the main workflow through the proxy: request, approval, an offline visit with photos, sync, evidence from S3', async ({ browser }: { browser: Browser }) => {
	test.setTimeout(300_000);
	const today = shanghaiDate(0);
	// 1. worker1 requests, head1 approves (the pages' form actions, through the proxy).
	const visit = await planVisit(proxy.url, pgLookups, { date: today, start: '18:30', end: '19:30', lead: 'staff1', second: 'staff2', tag: '集群老人' });

	// 2. staff1's tablet: the visit arrives, the whole visit with its photos is done offline.
	const { geolocation } = tabletOptions(proxy.url);
	const tabletContext = await browser.newContext({ baseURL: proxy.url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1180, height: 820 }, permissions: ['geolocation', 'camera'], geolocation });
	const tablet = await tabletContext.newPage();
	const servedBefore = [...proxy.served.values()];
	await fieldLogin(tablet, 'staff1');
	await ensureServiceWorker(tablet);
	await openVisitFromDayList(tablet, today, visit.residentName);
	await tabletContext.setOffline(true);
	await workVisit(tablet, { lead: '王晓东', second: '李婷' });
	await expect(tablet.getByTestId('pending')).toContainText('4 张照片');

	// 3. Online again: the completion and the photos go up through both processes.
	await tabletContext.setOffline(false);
	await expect(tablet.getByTestId('photo-queue')).toHaveCount(0, { timeout: 90_000 });
	await expect(tablet.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 60_000 });
	const servedAfter = [...proxy.served.values()];
	expect(servedAfter.every((n, i) => n > servedBefore[i]), `requests per process before ${servedBefore}, after ${servedAfter}`).toBe(true);
	await tabletContext.close();

	// 4. Exactly once in the database; every photo's bytes in the bucket, no temporary object left.
	const [{ status }] = await query<{ status: string }>('select status from requests where id = $1', [visit.requestId]);
	expect(status).toBe('completed');
	const rows = await query<{ id: string; kind: string; sha256: string }>('select id, kind, sha256 from photos where visit_id = $1 order by kind', [visit.visitId]);
	expect(rows.map((r) => r.kind)).toEqual(['id_back', 'id_front', 'signed_document', 'staff_with_customer']);
	const [{ n: completions }] = await query<{ n: string }>(`select count(*) as n from sync_mutations where entity_id = $1 and type = 'visit.complete' and result = 'applied'`, [visit.visitId]);
	expect(Number(completions)).toBe(1);
	const bucket = new S3Client({ endpoint: s3.config.endpoint ?? undefined, region: s3.config.region, forcePathStyle: true, credentials: { accessKeyId: s3.config.accessKeyId!, secretAccessKey: s3.config.secretAccessKey! } });
	const keys = ((await bucket.send(new ListObjectsV2Command({ Bucket: s3.config.bucket }))).Contents ?? []).map((o) => o.Key!);
	for (const row of rows) expect(keys).toContain(`photos/${row.sha256}.jpg`);
	expect(keys.filter((k) => k.startsWith('tmp/'))).toEqual([]);
	bucket.destroy();

	// 5. head1 reviews the evidence in Chromium through the proxy: the photos come from S3.
	const office = await browser.newContext({ baseURL: proxy.url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	const head = await office.newPage();
	await login(head, 'head1');
	await head.goto(`/approvals/${visit.requestId}`);
	await expect(head.getByTestId('evidence-photo')).toHaveCount(4);
	for (const row of rows) {
		const img = head.locator(`[data-testid=evidence-photo][data-photo-id="${row.id}"] img`);
		await img.scrollIntoViewIfNeeded(); // loading=lazy
		await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
		const res = await head.request.get(`/api/photos/${row.id}`);
		expect([res.status(), res.headers()['cache-control']]).toEqual([200, 'no-store']);
		expect(sha256(await res.body())).toBe(row.sha256);
	}
	await head.getByRole('button', { name: '认可凭证' }).click();
	await expect(head.getByTestId('review-status')).toContainText('已认可');
	await expectAccessible(head);
	const [review] = await query<{ status: string }>('select status from evidence_reviews where visit_id = $1', [visit.visitId]);
	expect(review.status).toBe('accepted');
	await office.close();
	console.log(`cluster workflow: 4 photos on S3, 1 completion applied, proxy per process ${servedAfter.join(' / ')}`);
});

test('rate limits hold in total across both processes', async () => {
	// Sync pushes: 30 a minute per user, requests alternating between the processes.
	const { cookie } = await signIn(proxy.url, 'staff8');
	const device = await registerDevice(cookie!);
	const statuses: number[] = [];
	let last: Response | null = null;
	for (let i = 0; i < 34; i++) {
		last = await api(cookie!, device)('/api/sync/push', { mutations: [] });
		statuses.push(last.status);
		if (i < 33) await last.body?.cancel();
	}
	expect(statuses.filter((s) => s === 200)).toHaveLength(30);
	expect(statuses.slice(30)).toEqual([429, 429, 429, 429]);
	expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
	expect(await last!.json()).toEqual({ message: 'security_err_rate_limited' });

	// Failed sign-ins: 6 a minute from this address, whichever process answers.
	const attempts = [];
	for (let i = 0; i < 8; i++) attempts.push(await signIn(proxy.url, `nobody${i}`, 'wrong-password'));
	expect(attempts.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400, 429, 429]);
	expect(Number(attempts[6].retryAfter)).toBeGreaterThan(0);
});

test('kill -9 of one process during a sync: the tablet retries through the other, nothing lost or duplicated', async () => {
	const cookie = await signInWaiting('staff1');
	const device = await registerDevice(cookie);
	const pulled = (await (await api(cookie, device)('/api/sync/pull', { cursor: null })).json()) as { visits: { id: string; version: number; status: string; requestStatus: string; services: string[] }[] };
	const visit = pulled.visits.find((v) => v.status === 'scheduled' && v.requestStatus === 'approved' && v.services.length > 0)!;
	expect(visit).toBeTruthy();
	const now = new Date().toISOString();
	// 24 batches of 1 checklist mutation (the push limit is 30 a minute), sent 6 at a time.
	const batches = Array.from({ length: 24 }, (_, i) => [{ id: randomUUID(), type: 'visit.checklist', entityId: visit.id, baseVersion: visit.version, payload: { serviceCode: visit.services[0], ticked: [i % 2], at: now }, createdAt: now, deviceId: device }]);
	const answers = new Map<string, string>();
	let retried = 0;
	let killed = false;
	const send = async (batch: (typeof batches)[number]) => {
		for (let attempt = 0; attempt < 10; attempt++) {
			const r = await api(cookie, device)('/api/sync/push', { mutations: batch }).catch(() => null);
			if (r?.status === 200) {
				for (const res of ((await r.json()) as { results: { id: string; status: string }[] }).results) answers.set(res.id, res.status);
				return;
			}
			await r?.body?.cancel();
			retried++;
			await new Promise((res) => setTimeout(res, 300));
		}
		throw new Error('push never got through');
	};
	const queue = [...batches];
	await Promise.all(
		Array.from({ length: 6 }, async () => {
			for (let b = queue.shift(); b; b = queue.shift()) {
				if (!killed && answers.size >= 4) {
					killed = true;
					apps[0].child.kill('SIGKILL'); // mid-sync: other pushes are in flight
				}
				await send(b);
			}
		})
	);
	expect(killed).toBe(true);
	await apps[0].exited;
	const ids = batches.map((b) => b[0].id);
	expect(ids.every((id) => ['applied', 'already_applied'].includes(answers.get(id) ?? ''))).toBe(true);
	const rows = await query<{ id: string; result: string }>('select id, result from sync_mutations where id = any($1)', [ids]);
	expect(rows).toHaveLength(ids.length);
	expect(rows.every((r) => r.result === 'applied')).toBe(true);
	const audit = await query<{ n: string }>(`select count(*) as n from audit_log where action = 'sync_apply' and details like any($1)`, [ids.map((id) => `%${id}%`)]);
	expect(Number(audit[0].n)).toBe(ids.length); // one entry per mutation: none applied twice
	console.log(`cluster kill -9: ${ids.length} mutations, ${retried} pushes retried, all applied once; proxy per process ${[...proxy.served.values()].join(' / ')}`);
});

test('the logs: one line per request (method, route id, status, ms), no personal data', async () => {
	const logs = apps.map((a) => a.output()).join('\n');
	expect(logs).toMatch(/^\[req\] POST \/api\/sync\/push 200 \d+ms$/m);
	expect(logs).toMatch(/^\[req\] GET \/readyz 200 \d+ms$/m);
	// What the database holds about residents and sessions never reaches the log.
	const residents = await query<{ id_number: string; phone: string; name: string }>('select id_number, phone, name from residents');
	const tokens = await query<{ id: string }>('select id from sessions');
	const secrets = [...residents.flatMap((r) => [r.id_number, r.phone, r.name]), ...tokens.map((t) => t.id)].filter((x) => x && x.length >= 3);
	expect(secrets.length).toBeGreaterThan(40);
	expect(secrets.filter((x) => logs.includes(x))).toEqual([]);
	const cookie = logs.match(/doorstep_session=[A-Za-z0-9_-]+/);
	expect(cookie).toBeNull();
});

test('SIGTERM: the last process finishes the request in flight, then exits cleanly', async () => {
	const survivor = apps[1];
	const cookie = await signInWaiting('head1'); // through the proxy: only the survivor is left
	const inFlight = fetch(`http://127.0.0.1:${survivor.port}/approvals`, { headers: { cookie } });
	await new Promise((r) => setTimeout(r, 20));
	survivor.child.kill('SIGTERM');
	const answer = await inFlight;
	expect(answer.status).toBe(200);
	await answer.text();
	expect(await survivor.exited).toBe(0);
});
