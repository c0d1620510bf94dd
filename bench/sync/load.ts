/*
 * The load of `npm run bench:sync`: N simulated tablets, each signed in as one of the demo's
 * field staff (several tablets per person when N > 8), doing pull + push of 5 mutations with no
 * think time, for a bounded time and at most a bounded number of pushes. Talks HTTP to the built
 * server like the tablet does (cookie, device header, Origin).
 */
import { randomUUID } from 'node:crypto';

export const STAFF = ['staff1', 'staff2', 'staff3', 'staff4', 'staff5', 'staff6', 'staff7', 'staff8'];
const PASSWORD = 'Doorstep-2026';

export interface Tablet {
	cookie: string;
	device: string;
	cursor: string | null;
	/** An open visit of this user (progress mutations), or null: discards then. */
	visit: { id: string; version: number; service: string } | null;
}

export interface LoadResult {
	pushes: number[];
	pulls: number[];
	applied: number;
	answered: number;
	statuses: Map<string, number>;
	mutationIds: string[];
	seconds: number;
}

export async function signIn(base: string, username: string): Promise<string> {
	const body = new URLSearchParams({ username, password: PASSWORD });
	const r = await fetch(`${base}/login`, { method: 'POST', body, redirect: 'manual', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
	const cookie = (r.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('doorstep_session='));
	if (!cookie) throw new Error(`sign-in of ${username} failed: ${r.status}`);
	return cookie;
}

const post = (base: string, t: Pick<Tablet, 'cookie' | 'device'>, path: string, body: unknown) =>
	fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { origin: base, cookie: t.cookie, 'content-type': 'application/json', 'x-doorstep-device': t.device } });

interface PulledVisit {
	id: string;
	version: number;
	status: string;
	requestStatus: string;
	services: string[];
}

export async function prepareTablet(base: string, username: string): Promise<Tablet> {
	const cookie = await signIn(base, username);
	const reg = await fetch(`${base}/api/devices`, { method: 'POST', body: JSON.stringify({ label: `bench ${randomUUID().slice(0, 8)}` }), headers: { origin: base, cookie, 'content-type': 'application/json' } });
	if (reg.status !== 201) throw new Error(`device registration: ${reg.status}`);
	const device = ((await reg.json()) as { id: string }).id;
	const first = await post(base, { cookie, device }, '/api/sync/pull', { cursor: null });
	const pulled = (await first.json()) as { cursor: string; visits: PulledVisit[] };
	const open = pulled.visits.find((v) => v.status === 'scheduled' && v.requestStatus === 'approved' && v.services.length > 0);
	return { cookie, device, cursor: pulled.cursor, visit: open ? { id: open.id, version: open.version, service: open.services[0] } : null };
}

function batch(t: Tablet): unknown[] {
	const now = new Date().toISOString();
	return Array.from({ length: 5 }, (_, i) => {
		const id = randomUUID();
		if (t.visit) return { id, type: 'visit.checklist', entityId: t.visit.id, baseVersion: t.visit.version, payload: { serviceCode: t.visit.service, ticked: [i % 2], at: now }, createdAt: now, deviceId: t.device };
		return { id, type: 'sync.discard', entityId: randomUUID(), baseVersion: 0, payload: { discarded: [{ id: randomUUID(), type: 'visit.arrive', baseVersion: 0, createdAt: now, reason: null }], summary: {} }, createdAt: now, deviceId: t.device };
	});
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs the tablets until `seconds` pass or `maxPushes` pushes were sent in total. */
export async function runLoad(base: string, tablets: Tablet[], seconds: number, maxPushes: number): Promise<LoadResult> {
	const result: LoadResult = { pushes: [], pulls: [], applied: 0, answered: 0, statuses: new Map(), mutationIds: [], seconds };
	const note = (key: string) => result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
	const started = performance.now();
	const deadline = started + seconds * 1000;
	let sent = 0;
	await Promise.all(
		tablets.map(async (t) => {
			while (performance.now() < deadline && sent < maxPushes) {
				let t0 = performance.now();
				const pull = await post(base, t, '/api/sync/pull', { cursor: t.cursor }).catch(() => null);
				result.pulls.push(performance.now() - t0);
				if (pull?.status === 200) t.cursor = ((await pull.json()) as { cursor: string }).cursor;
				else {
					note(`pull ${pull?.status ?? 'network'}`);
					await pull?.body?.cancel();
				}
				sent++;
				const mutations = batch(t);
				t0 = performance.now();
				const push = await post(base, t, '/api/sync/push', { mutations }).catch(() => null);
				result.pushes.push(performance.now() - t0);
				if (push?.status !== 200) {
					note(`push ${push?.status ?? 'network'}`);
					await push?.body?.cancel();
					continue;
				}
				const { results } = (await push.json()) as { results: { id: string; status: string }[] };
				for (const r of results) {
					result.answered++;
					if (r.status === 'applied') {
						result.applied++;
						result.mutationIds.push(r.id);
					} else note(`mutation ${r.status}${"reason" in r ? ` ${(r as { reason?: string }).reason}` : ""}`);
				}
			}
		})
	);
	result.seconds = (performance.now() - started) / 1000;
	return result;
}
