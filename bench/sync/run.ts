/*
 * `npm run bench:sync` (issue 12): sync throughput and latency of the BUILT server on loopback,
 * for SQLite (one process), PostgreSQL (one process) and PostgreSQL (two processes behind a
 * round-robin proxy), at 8, 32 and 64 simulated tablets (pull + push of 5 mutations, no think
 * time). Prints measured figures only: mutations applied/s, pulls/s, p50/p95/p99 of push and
 * pull, errors by status, server CPU and peak RSS, and rows = answers (0 lost, 0 duplicated).
 * Flags: --seconds S (per run, default 10), --max-pushes N (per run, default 20000),
 * --tablets 8,32,64, --only sqlite,pg1,pg2, --pg-via tcp|socket (loopback TCP, the default, or the
 * cluster's Unix socket: PostgreSQL on the app's machine). Needs `npm run build` and PostgreSQL binaries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPgCluster, type PgCluster } from '../../scripts/pg-test-cluster';
import { freePort, startApp, startProxy, stopApp, type AppProcess, type Proxy } from '../../scripts/app-cluster';
import { percentile, prepareTablet, runLoad, STAFF, type LoadResult } from './load';
import { describePulls, seedLargeDay, timeLargeDayPulls, type Exec } from './large-day';

function flag(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const SECONDS = Math.min(120, Math.max(1, Number(flag('seconds', '10'))));
const MAX_PUSHES = Math.min(1_000_000, Math.max(1, Number(flag('max-pushes', '20000'))));
const TABLETS = flag('tablets', '8,32,64').split(',').map(Number).filter((n) => n > 0 && n <= 256);
const ONLY = flag('only', 'sqlite,pg1,pg2').split(',');
/** How the app reaches PostgreSQL: loopback TCP (as from another machine) or its Unix socket. */
/** Visits of the large day (one worker, one day) and how many times its pulls are timed. */
const LARGE_DAY = Math.min(2000, Math.max(0, Number(flag('large-day', '300'))));
const LARGE_DAY_RUNS = 10;
const largeDayLines: string[] = [];

/** Seeds the large day for staff1 in the running app's database and times its pulls. */
async function largeDay(setup: string, base: string, exec: Exec) {
	if (LARGE_DAY === 0) return;
	const [staff] = await exec(`select id from users where username = ?`, ['staff1']);
	await seedLargeDay(exec, String(staff.id), LARGE_DAY);
	const tablet = await prepareTablet(base, 'staff1');
	largeDayLines.push(describePulls(setup, await timeLargeDayPulls(base, tablet, LARGE_DAY_RUNS)));
	console.log(largeDayLines.at(-1));
}

const PG_VIA = flag('pg-via', 'tcp') === 'socket' ? 'socket' : 'tcp';

const LIMITS = { RATE_SYNC_PER_MINUTE: '10000000', RATE_LOGIN_PER_MINUTE: '100000', RATE_UPLOADS_PER_MINUTE: '100000', LOG_REQUESTS: '0' };

interface Counter {
	counts(): Promise<{ rows: number; audit: number }>;
	close(): Promise<void>;
}

function sqliteCounter(dataDir: string): Counter {
	const db = new Database(path.join(dataDir, 'doorstep.sqlite'), { readonly: true, fileMustExist: true });
	return {
		async counts() {
			const rows = (db.prepare(`select count(*) as n from sync_mutations where result = 'applied'`).get() as { n: number }).n;
			const audit = (db.prepare(`select count(*) as n from audit_log where action in ('sync_apply', 'sync_discard')`).get() as { n: number }).n;
			return { rows, audit };
		},
		async close() {
			db.close();
		}
	};
}

async function pgCounter(url: string): Promise<Counter> {
	const client = new pg.Client(url);
	await client.connect();
	return {
		async counts() {
			const rows = Number((await client.query(`select count(*) as n from sync_mutations where result = 'applied'`)).rows[0].n);
			const audit = Number((await client.query(`select count(*) as n from audit_log where action in ('sync_apply', 'sync_discard')`)).rows[0].n);
			return { rows, audit };
		},
		close: () => client.end()
	};
}

function cpuSeconds(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
}
/** CPU seconds of every PostgreSQL server process on the machine (the bench's own cluster). */
function postgresCpuSeconds(): number {
	let total = 0;
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (!stat.includes('(postgres)')) continue;
			const fields = stat.split(') ')[1].split(' ');
			total += (Number(fields[11]) + Number(fields[12])) / 100;
		} catch {
			// the process ended meanwhile
		}
	}
	return total;
}
function peakRssMb(pid: number): number {
	const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

interface Row {
	setup: string;
	tablets: number;
	r: LoadResult;
	cpu: number;
	/** PostgreSQL's CPU % over the run (null for SQLite). */
	pgCpu: number | null;
	rss: number;
	lost: number;
	duplicated: number;
	mix: string;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');

async function scenario(name: string, base: string, apps: AppProcess[], counter: Counter, rows: Row[], postgres: boolean) {
	for (const n of TABLETS) {
		const tablets = [];
		for (let i = 0; i < n; i++) tablets.push(await prepareTablet(base, STAFF[i % STAFF.length]));
		const withVisit = tablets.filter((t) => t.visit).length;
		const before = await counter.counts();
		const cpu0 = apps.map((a) => cpuSeconds(a.child.pid!));
		const pg0 = postgres ? postgresCpuSeconds() : 0;
		const r = await runLoad(base, tablets, SECONDS, MAX_PUSHES);
		const cpu = apps.reduce((sum, a, i) => sum + cpuSeconds(a.child.pid!) - cpu0[i], 0);
		const pgCpu = postgres ? postgresCpuSeconds() - pg0 : null;
		const after = await counter.counts();
		const rowsAdded = after.rows - before.rows;
		const auditAdded = after.audit - before.audit;
		rows.push({
			setup: name,
			tablets: n,
			r,
			cpu: (cpu / r.seconds) * 100,
			pgCpu: pgCpu === null ? null : (pgCpu / r.seconds) * 100,
			rss: apps.reduce((s, a) => s + peakRssMb(a.child.pid!), 0),
			lost: Math.max(0, r.applied - rowsAdded),
			duplicated: Math.max(0, auditAdded - rowsAdded) + Math.max(0, rowsAdded - r.applied),
			mix: `${withVisit}/${n} checklist`
		});
		print(rows.slice(-1), false);
	}
}

function print(rows: Row[], header = true) {
	if (header) {
		console.log('\n| setup | tablets | mutations applied/s | pulls/s | push p50/p95/p99 ms | pull p50/p95/p99 ms | errors | app CPU % | PostgreSQL CPU % | CPU ms per mutation | peak RSS MB | lost | duplicated | load |');
		console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	}
	for (const { setup, tablets, r, cpu, pgCpu, rss, lost, duplicated, mix } of rows) {
		const push = [...r.pushes].sort((a, b) => a - b);
		const pull = [...r.pulls].sort((a, b) => a - b);
		const errors = [...r.statuses].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
		console.log(
			`| ${setup} | ${tablets} | ${fmt(r.applied / r.seconds)} | ${fmt(r.pulls.length / r.seconds)} | ${[50, 95, 99].map((p) => fmt(percentile(push, p))).join(' / ')} | ${[50, 95, 99].map((p) => fmt(percentile(pull, p))).join(' / ')} | ${errors} | ${fmt(cpu)} | ${pgCpu === null ? '–' : fmt(pgCpu)} | ${(((cpu + (pgCpu ?? 0)) * 10) / Math.max(1, r.applied / r.seconds)).toFixed(2)} | ${fmt(rss)} | ${lost} | ${duplicated} | ${mix} |`
		);
	}
}

async function main() {
	if (!fs.existsSync(path.resolve('build/index.js'))) throw new Error('no build: run `npm run build` first');
	console.log(`bench:sync — ${SECONDS} s per run (at most ${MAX_PUSHES} pushes), tablets ${TABLETS.join('/')}, ${os.cpus().length} CPUs, Node ${process.version}`);
	const rows: Row[] = [];
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-bench-sync-'));
	let cluster: PgCluster | null = null;
	try {
		if (ONLY.includes('sqlite')) {
			const dataDir = path.join(tmp, 'sqlite');
			const port = await freePort();
			const real = await startApp({ ...LIMITS, DATA_DIR: dataDir, SEED_DEMO: '1', ORIGIN: `http://127.0.0.1:${port}` }, { port });
			const counter = sqliteCounter(dataDir);
			await scenario('SQLite, 1 process', `http://127.0.0.1:${real.port}`, [real], counter, rows, false);
			await counter.close();
			const file = new Database(path.join(dataDir, 'doorstep.sqlite'));
			file.pragma('busy_timeout = 5000');
			await largeDay('SQLite, 1 process', `http://127.0.0.1:${real.port}`, async (q, params) => {
				const statement = file.prepare(q);
				return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
			});
			file.close();
			await stopApp(real);
		}
		if (ONLY.includes('pg1') || ONLY.includes('pg2')) cluster = await startPgCluster();
		for (const [key, processes] of [['pg1', 1], ['pg2', 2]] as const) {
			if (!ONLY.includes(key) || !cluster) continue;
			const admin = new pg.Client(cluster.url);
			await admin.connect();
			const dbName = `bench_${key}_${Date.now()}`;
			await admin.query(`create database ${dbName}`);
			await admin.end();
			const tcp = new URL(cluster.url);
			tcp.pathname = `/${dbName}`;
			const url = PG_VIA === 'socket' ? cluster.socketUrl.replace('/doorstep_test?', `/${dbName}?`) : tcp.toString();
			const proxyPort = await freePort();
			const ports: number[] = [];
			while (ports.length < processes) {
				const p = await freePort();
				if (p !== proxyPort && !ports.includes(p)) ports.push(p);
			}
			const origin = processes > 1 ? `http://127.0.0.1:${proxyPort}` : `http://127.0.0.1:${ports[0]}`;
			const env = { ...LIMITS, DATA_DIR: path.join(tmp, key), SEED_DEMO: '1', DATABASE_URL: url, ORIGIN: origin };
			const apps = await Promise.all(ports.map((port) => startApp(env, { port })));
			let proxy: Proxy | null = null;
			if (processes > 1) proxy = await startProxy(ports, proxyPort);
			const counter = await pgCounter(url);
			await scenario(`${processes > 1 ? 'PostgreSQL, 2 processes + proxy' : 'PostgreSQL, 1 process'}${PG_VIA === 'socket' ? ' (Unix socket)' : ''}`, origin, apps, counter, rows, true);
			if (proxy) console.log(`  proxy: requests per process ${[...proxy.served.values()].join(' / ')}`);
			if (processes === 1) {
				const client = new pg.Client(url);
				await client.connect();
				let n = 0;
				await largeDay(`PostgreSQL, 1 process${PG_VIA === 'socket' ? ' (Unix socket)' : ''}`, origin, async (q, params) => (await client.query(q.replace(/\?/g, () => `$${++n}`), params).finally(() => (n = 0))).rows);
				await client.end();
			}
			await counter.close();
			await proxy?.close();
			await Promise.all(apps.map((a) => stopApp(a)));
		}
		print(rows);
		if (largeDayLines.length > 0) {
			console.log(`\nLarge day: staff1 with ${LARGE_DAY} more visits today (${LARGE_DAY_RUNS} pulls each)`);
			console.log('| setup | visits on the tablet | first pull (everything) | its size | next pull (no change) | its size |');
			console.log('|---|---|---|---|---|---|');
			for (const line of largeDayLines) console.log(line);
		}
	} finally {
		await cluster?.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

await main();
