/*
 * The large-day pull of `npm run bench:sync`: one field worker with ≈ 300 visits on one day (a
 * campaign day at a nursing home, say). Copies one of the demo's approved requests and its
 * scheduled visit N times straight into the database (new ids and refs, today, 2-minute windows,
 * the same team), then times the tablet's first pull (everything) and its next pulls (nothing
 * changed) against the built server, with the answer's size.
 */
import { randomUUID } from 'node:crypto';
import { percentile, type Tablet } from './load';

/** Runs SQL with positional parameters (`?` is turned into `$n` for PostgreSQL by the caller). */
export type Exec = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // China time

/** Copies a scheduled visit of `staffId` (and its request) `count` times onto today. */
export async function seedLargeDay(exec: Exec, staffId: string, count: number): Promise<number> {
	const [visit] = await exec(`select * from visits where lead_staff_id = ? and status = 'scheduled' order by date limit 1`, [staffId]);
	if (!visit) throw new Error('large day: the demo has no scheduled visit for this worker');
	const [request] = await exec(`select * from requests where id = ?`, [visit.request_id]);
	const insert = (table: string, row: Record<string, unknown>) => {
		const keys = Object.keys(row);
		return exec(`insert into ${table} (${keys.join(', ')}) values (${keys.map(() => '?').join(', ')})`, keys.map((k) => row[k]));
	};
	const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
	for (let i = 0; i < count; i++) {
		const requestId = randomUUID();
		await insert('requests', { ...request, id: requestId, ref: `BENCH-${requestId.slice(0, 12)}`, status: 'approved' });
		const start = 7 * 60 + i * 2;
		await insert('visits', { ...visit, id: randomUUID(), request_id: requestId, date: today(), window_start: hhmm(start), window_end: hhmm(start + 2), status: 'scheduled' });
	}
	return count;
}

export interface PullFigures {
	visits: number;
	firstMs: number[];
	firstBytes: number;
	nextMs: number[];
	nextBytes: number;
}

const post = (base: string, t: Tablet, body: unknown) =>
	fetch(`${base}/api/sync/pull`, { method: 'POST', body: JSON.stringify(body), headers: { origin: base, cookie: t.cookie, 'content-type': 'application/json', 'x-doorstep-device': t.device } });

/** `runs` first pulls and `runs` pulls with the cursor they returned. */
export async function timeLargeDayPulls(base: string, t: Tablet, runs: number): Promise<PullFigures> {
	const figures: PullFigures = { visits: 0, firstMs: [], firstBytes: 0, nextMs: [], nextBytes: 0 };
	let cursor: string | null = null;
	for (let i = 0; i < runs; i++) {
		let t0 = performance.now();
		const first = await post(base, t, { cursor: null });
		const text = await first.text();
		figures.firstMs.push(performance.now() - t0);
		if (first.status !== 200) throw new Error(`large-day pull: ${first.status} ${text.slice(0, 200)}`);
		const body = JSON.parse(text) as { cursor: string; visits: unknown[] };
		figures.visits = body.visits.length;
		figures.firstBytes = text.length;
		cursor = body.cursor;
		t0 = performance.now();
		const next = await post(base, t, { cursor });
		const nextText = await next.text();
		figures.nextMs.push(performance.now() - t0);
		figures.nextBytes = nextText.length;
	}
	return figures;
}

export function describePulls(setup: string, f: PullFigures): string {
	const stat = (xs: number[]) => {
		const s = [...xs].sort((a, b) => a - b);
		return `p50 ${percentile(s, 50).toFixed(0)} / p95 ${percentile(s, 95).toFixed(0)} ms`;
	};
	return `| ${setup} | ${f.visits} | ${stat(f.firstMs)} | ${(f.firstBytes / 1024).toFixed(0)} KB | ${stat(f.nextMs)} | ${(f.nextBytes / 1024).toFixed(1)} KB |`;
}
