import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, serverDb } from './helpers';

/**
 * The sync endpoints over HTTP against the real server: a replayed push changes nothing, and bad
 * input is refused with a reason while nothing changes.
 */
let api: APIRequestContext;
let device = '';
let baseURL = '';

test.beforeAll(async ({ playwright }, info) => {
	baseURL = String(info.project.use.baseURL);
	api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
	const login = await api.post('/login', { form: { username: 'staff1', password: DEMO_PASSWORD }, headers: { accept: 'text/html' }, maxRedirects: 0 });
	expect(login.status()).toBe(303);
	device = ((await (await api.post('/api/devices', { data: { label: 'sync api test' } })).json()) as { id: string }).id;
	expect(device).toBeTruthy();
});

test.afterAll(() => api.dispose());

function query<T>(sql: string, ...params: unknown[]): T[] {
	const db = serverDb();
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}

/** A scheduled visit of staff1 (lead or second) and one of another outlet's team. */
function visits() {
	const me = query<{ id: string }>(`select id from users where username = 'staff1'`)[0].id;
	const mine = query<{ id: string; version: number; request_id: string }>(
		`select id, version, request_id from visits where status = 'scheduled' and (lead_staff_id = ? or second_staff_id = ?) order by date, window_start`,
		me,
		me
	);
	const other = query<{ id: string; version: number; request_id: string }>(
		`select id, version, request_id from visits where status = 'scheduled' and lead_staff_id != ? and second_staff_id != ? order by date`,
		me,
		me
	)[0];
	return { mine, other };
}

const state = () => ({
	mutations: query<{ n: number }>('select count(*) as n from sync_mutations')[0].n,
	progress: query<{ n: number }>('select count(*) as n from visit_progress')[0].n,
	visits: query<{ id: string; version: number; status: string }>('select id, version, status from visits order by id'),
	requests: query<{ id: string; version: number; status: string }>('select id, version, status from requests order by id')
});

const mutation = (type: string, visitId: string, baseVersion: number, payload: unknown) => ({
	id: crypto.randomUUID(),
	type,
	entityId: visitId,
	baseVersion,
	payload,
	createdAt: new Date().toISOString(),
	deviceId: device
});

const push = (body: unknown, headers: Record<string, string> = {}) =>
	api.post('/api/sync/push', { data: body as object, headers: { 'x-doorstep-device': device, ...headers } });

test('replaying the same push changes nothing the second time', async () => {
	const { mine } = visits();
	const v = mine[0];
	const batch = { mutations: [mutation('visit.start_travel', v.id, v.version, { at: new Date().toISOString() })] };
	const first = await push(batch);
	expect(first.status()).toBe(200);
	expect(((await first.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['applied']);
	const after = state();
	const second = await push(batch);
	expect(second.status()).toBe(200);
	expect(((await second.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['already_applied']);
	expect(state()).toEqual(after);
});

test('bad input is refused with a reason and changes nothing', async () => {
	const { mine, other } = visits();
	const v = mine[0];
	const before = state();

	const malformed = await api.post('/api/sync/push', { data: '{"mutations": [', headers: { 'x-doorstep-device': device, 'content-type': 'application/json' } });
	expect(malformed.status()).toBe(400);
	expect(((await malformed.json()) as { message: string }).message).toBe('sync_err_malformed');

	const huge = await push({ mutations: Array.from({ length: 201 }, () => mutation('visit.start_travel', v.id, v.version, { at: new Date().toISOString() })) });
	expect(huge.status()).toBe(413);

	const noDevice = await api.post('/api/sync/push', { data: { mutations: [] } });
	expect(noDevice.status()).toBe(403);

	const refused = await push({
		mutations: [
			mutation('visit.teleport', v.id, v.version, {}),
			mutation('visit.complete', other.id, other.version, { outcome: 'refused', note: null, visitedAt: new Date().toISOString(), consent: null, confirmedBy: [] })
		]
	});
	expect(refused.status()).toBe(200);
	const results = ((await refused.json()) as { results: { status: string; reason: string; visit: unknown }[] }).results;
	expect(results[0]).toMatchObject({ status: 'rejected', reason: 'unknown_type' });
	expect(results[1]).toMatchObject({ status: 'rejected', visit: null });
	expect(['err_forbidden', 'err_not_found']).toContain(results[1].reason);

	const stale = await push({ mutations: [mutation('visit.complete', v.id, v.version + 5, { outcome: 'refused', note: null, visitedAt: new Date().toISOString(), consent: null, confirmedBy: [] })] });
	expect(((await stale.json()) as { results: { reason: string }[] }).results[0].reason).toBe('err_version_conflict');

	const now = state();
	// Refusals are recorded (exactly-once bookkeeping and audit), but no visit, request or progress changed.
	expect(now.visits).toEqual(before.visits);
	expect(now.requests).toEqual(before.requests);
	expect(now.progress).toEqual(before.progress);
});
