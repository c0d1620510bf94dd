/*
 * `npm run bench:reports`: the report's data and a one-year ledger XLSX export on a
 * branch-sized history (bench/reports/generate.ts), on SQLite and on a throwaway PostgreSQL
 * cluster (scripts/pg-test-cluster.ts). Prints measured figures only.
 *   --requests N (100000)  --outlets N (21)  --years N (3)  --only sqlite|postgres
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { addDays, localDate } from '$lib/domain/calendar';
import { parseReportFilter } from '$lib/domain/report-filters';
import { openDatabase, type Database } from '$lib/server/db';
import { ledgerResponse } from '$lib/server/reports/export';
import { reportData } from '$lib/server/reports/report';
import { scopeFilter } from '$lib/server/reports/scope';
import type { SessionUser } from '$lib/server/auth/types';
import { startPgCluster } from '../../scripts/pg-test-cluster';
import { generateHistory } from './generate';
import type { Kysely } from 'kysely';

const arg = (name: string, fallback: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const REQUESTS = Number(arg('requests', '100000'));
const OUTLETS = Number(arg('outlets', '21'));
const YEARS = Number(arg('years', '3'));
const ONLY = arg('only', '');

const today = localDate(new Date().toISOString());
const lastMonth = (() => {
	const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
	d.setUTCMonth(d.getUTCMonth() - 1);
	return d.toISOString().slice(0, 7);
})();
const yearFrom = addDays(today, -365);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

/** Wall time and this process's CPU time (SQLite runs in-process; PostgreSQL's CPU is not in it). */
async function timed<T>(fn: () => Promise<T>, runs: number): Promise<{ median: number; max: number; cpu: number; value: T }> {
	let value = await fn(); // warm-up (statement caches, pages)
	const times: number[] = [];
	const cpus: number[] = [];
	for (let i = 0; i < runs; i++) {
		const c0 = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		value = await fn();
		times.push(ms(t0));
		const c = process.cpuUsage(c0);
		cpus.push((c.user + c.system) / 1000);
	}
	return { median: median(times), max: Math.max(...times), cpu: median(cpus), value };
}

async function scoped(db: Kysely<Database>, user: SessionUser, query: string) {
	const parsed = parseReportFilter(new URLSearchParams(query));
	if (!parsed.ok) throw new Error(parsed.code);
	return scopeFilter(db, user, parsed.filter);
}

async function bench(name: string, db: Kysely<Database>) {
	const t0 = process.hrtime.bigint();
	const { outletIds, counts } = await generateHistory(db, { requests: REQUESTS, outlets: OUTLETS, years: YEARS, today });
	await sql`analyze`.execute(db);
	const load = (await import('node:os')).loadavg()[0].toFixed(1);
	console.log(`\n== ${name}: generated ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')} in ${(ms(t0) / 1000).toFixed(1)} s (load average ${load} on ${(await import('node:os')).cpus().length} cores)`);
	{
		const t1 = process.hrtime.bigint();
		const { reportData: _r } = await import('$lib/server/reports/report');
		const { filter, options } = await scoped(db, { id: 'a', username: 'a', displayName: 'a', role: 'admin', outletId: null, communityId: null }, `month=${lastMonth}`);
		await _r(db, filter, options);
		console.log(`first report (builds the working-day index): ${ms(t1).toFixed(0)} ms`);
	}

	const admin: SessionUser = { id: 'bench-admin', username: 'admin', displayName: 'admin', role: 'admin', outletId: null, communityId: null };
	const head = (outletId: string): SessionUser => ({ id: `${outletId}-head`, username: 'h', displayName: 'h', role: 'outlet_head', outletId, communityId: null });

	const cases: [string, SessionUser, string][] = [
		[`outlet head, month ${lastMonth}`, head(outletIds[0]), `month=${lastMonth}`],
		[`admin, whole branch, month ${lastMonth}`, admin, `month=${lastMonth}`],
		[`outlet head, one year ${yearFrom}…${today}`, head(outletIds[0]), `from=${yearFrom}&to=${today}`],
		[`admin, whole branch, one year`, admin, `from=${yearFrom}&to=${today}`],
		[`admin, whole branch, three years`, admin, `from=${addDays(today, -3 * 365 + 1)}&to=${today}`]
	];
	for (const [label, user, query] of cases) {
		const { filter, options } = await scoped(db, user, query);
		const r = await timed(() => reportData(db, filter, options), 5);
		console.log(`/reports data  ${label.padEnd(48)} median ${r.median.toFixed(0).padStart(5)} ms  max ${r.max.toFixed(0).padStart(5)} ms  cpu ${r.cpu.toFixed(0).padStart(5)} ms  (${r.value.requests.received} requests, ${r.value.visits.total} visits)`);
	}

	const times: number[] = [];
	let rows = 0;
	let bytes = 0;
	let peak = 0;
	const base = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	for (const id of outletIds) {
		const { filter, options } = await scoped(db, head(id), `from=${yearFrom}&to=${today}`);
		const t1 = process.hrtime.bigint();
		const res = await ledgerResponse(db, filter, options, 'xlsx', 'zh');
		const reader = res.body!.getReader();
		let size = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
		}
		times.push(ms(t1));
		bytes += size;
		const n = await db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).where('outlet_id', '=', id).where('created_at', '>=', filter.from).executeTakeFirstOrThrow();
		rows += Number(n.n);
	}
	clearInterval(sampler);
	console.log(`ledger.xlsx, one year per outlet (${outletIds.length} outlets, ~${Math.round(rows / outletIds.length)} rows, ~${Math.round(bytes / outletIds.length / 1024)} KB each): median ${(median(times) / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s`);
	console.log(`memory: RSS ${mb(base)} before the exports, peak ${mb(peak)} during them (+${mb(Math.max(0, peak - base))})`);

	// The whole branch for a year, as one file: memory stays bounded by the page size.
	{
		const { filter, options } = await scoped(db, admin, `from=${yearFrom}&to=${today}`);
		let p = process.memoryUsage().rss;
		const before = p;
		const s = setInterval(() => (p = Math.max(p, process.memoryUsage().rss)), 20);
		const t1 = process.hrtime.bigint();
		const res = await ledgerResponse(db, filter, options, 'xlsx', 'zh');
		let size = 0;
		const reader = res.body!.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
		}
		clearInterval(s);
		console.log(`ledger.xlsx, whole branch one year: ${(ms(t1) / 1000).toFixed(2)} s, ${(size / 1048576).toFixed(1)} MB file, RSS peak +${mb(Math.max(0, p - before))}`);
	}
}

async function main() {
	if (ONLY !== 'postgres') {
		const dir = path.resolve('.tmp/bench-reports');
		fs.rmSync(dir, { recursive: true, force: true });
		const db = await openDatabase({ databaseUrl: '', dataDir: dir });
		try {
			await bench('SQLite', db);
		} finally {
			await db.destroy();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
	if (ONLY !== 'sqlite') {
		const cluster = await startPgCluster();
		try {
			const db = await openDatabase({ databaseUrl: cluster.url, dataDir: path.resolve('.tmp/bench-reports-pg') });
			try {
				await bench('PostgreSQL', db);
			} finally {
				await db.destroy();
			}
		} finally {
			await cluster.stop();
		}
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
