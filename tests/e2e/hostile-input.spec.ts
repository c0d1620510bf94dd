import { expect, test } from '@playwright/test';
import { FULL_ID_RE } from './access-helpers';
import { DEMO_PASSWORD } from './helpers';
import {
	digestTables,
	enumerateRoutes,
	fillRoute,
	personalValues,
	rawRequest,
	seededRandom,
	serverRss,
	serverMemoryAfterGc,
	signIn,
	type RawRequest,
	type RawResponse,
	type RouteTarget
} from './hostile-helpers';

/*
 * Hostile input against every page, form action and endpoint found in src/routes (a new route
 * is covered without editing this file), with no session and with a session of each role:
 * malformed percent-escapes in path and query, overlong and Unicode-odd paths, prototype keys,
 * sparse and huge numeric field indices, deep and huge JSON, wrong content types, duplicated
 * fields, bodies just over each limit, odd action names, plus seeded random junk forms.
 *
 * Afterwards: no answer was a 5xx or missing, the server still answers, its memory grew by less
 * than 100 MB, no row of any table changed (digest of every table before and after), and no
 * error body carries personal data or a stack trace. HOSTILE_SEED=<n> replays a run.
 */

const port = Number(process.env.E2E_PORT ?? 4173);
const origin = `http://127.0.0.1:${port}`;
const seed = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const rnd = seededRandom(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
const randomId = () => Array.from({ length: 4 }, () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, '0')).join('-');

// The limits the cases probe, just over each (src/lib/server/http/form.ts, sync protocol, photos, BODY_SIZE_LIMIT).
const FORM_MAX = 512 * 1024;
const PHOTO_MAX = 1024 * 1024;
const SYNC_MAX = 5 * 1024 * 1024;
const BODY_MAX = 6 * 1024 * 1024;

const SESSIONS = [null, 'worker1', 'head1', 'staff1', 'admin'] as const;
// Field names our forms use; never `password` with `username` (a junk sign-in would count
// against the client address's sign-in limit and slow the suites after this one).
const FIELDS = ['services', 'windows', 'resident', 'stop', 'lock', 'requiredPhotos', 'residentId', 'residentMode', 'id', 'version', 'date', 'code', 'reason', 'role', 'outletId', 'next', 'locale', 'mutations', 'label', 'notes', 'urgency', 'username'];
const BAD_ESCAPES = ['%ff', '%', '%E0%A4%A', '%C0%AE%C0%AE', '%ED%A0%80', '%00', '%2e%2e%2f%2e%2e', '%%32%65', '%u002e'];
const ODD_UNICODE = ['%EF%BC%8F..%EF%BC%8Fadmin', '%E2%80%AE%E2%80%8B', '%EF%BB%BF', '%F0%9F%92%A9'.repeat(40), 'a%CC%81'.repeat(50), '\u017f'];
const ODD_ACTIONS = ['?/constructor', '?x=1&/toString', '?/%E0%A4%A', '?/__proto__', '?/valueOf', '?x=1&/hasOwnProperty', '?/default', '?/' + 'a'.repeat(300)];
const HUGE_INDICES = ['4294967294', '4294967295', '2000000', '99999999999999999999', '501', '100', '-1', '1e9', '007'];
const ODD_VALUES = ['\u0000', '\uFEFF', '\u202Eevil', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'x'.repeat(5000), '../../etc/passwd', '{"__proto__":1}', '<script>alert(1)</script>'];

interface Case {
	label: string;
	req: RawRequest;
}

const form = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const FORM_TYPE = 'application/x-www-form-urlencoded';

function baseHeaders(cookie: string | null, json: boolean): Record<string, string> {
	const h: Record<string, string> = { origin, accept: json ? 'application/json' : 'text/html' };
	if (json) h['x-sveltekit-action'] = 'true';
	if (cookie) h.cookie = cookie;
	return h;
}

/** The cases for one route target, in one session; randomness only from `rnd` (the seed). */
function casesFor(t: RouteTarget, cookie: string | null, hasGet: Set<string>): Case[] {
	const path = fillRoute(t.route, () => randomId());
	const write = t.method !== 'GET';
	const cases: Case[] = [];
	const req = (label: string, target: string, extra: Partial<RawRequest> = {}, json = rnd() < 0.5) =>
		cases.push({ label, req: { method: t.method, target, headers: { ...baseHeaders(cookie, json), ...(write && !extra.body ? { 'content-type': FORM_TYPE } : {}), ...(extra.headers ?? {}) }, body: extra.body ?? (write ? 'a=1' : undefined) } });
	const sep = t.action ? '&' : '?';
	const params = /\[/.test(t.route);

	// Malformed escapes in the path (in a parameter where there is one) and in the query.
	for (const esc of ['%ff', pick(BAD_ESCAPES)]) {
		req(`path escape ${esc}`, params ? fillRoute(t.route, () => esc) + t.action : `${path}/${esc}${t.action}`);
	}
	req('path ends in %', `${path}%${t.action}`);
	req('query escapes', `${path}${t.action}${sep}${pick(BAD_ESCAPES)}=${pick(BAD_ESCAPES)}&next=${pick(BAD_ESCAPES)}`);
	// Overlong and Unicode-odd paths, prototype keys in the query: refused or routed before the
	// method matters: sent with the route's GET, or with each method of a route without one.
	if (t.method === 'GET' || !hasGet.has(t.route)) {
		req('overlong path', `${path}/${'a'.repeat(1100 + Math.floor(rnd() * 2000))}${t.action}`);
		req('overlong query', `${path}${t.action}${sep}q=${'x'.repeat(5000)}`);
		req('unicode path', params ? fillRoute(t.route, () => pick(ODD_UNICODE)) + t.action : `${path}/${pick(ODD_UNICODE)}${t.action}`);
		req('dot segments', `${path}/%2e%2e/%2e%2e/admin${t.action}`);
		// Prototype keys in the query.
		req('prototype query', `${path}${t.action}${sep}__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__.polluted=1`);
	}
	if (!write) return cases;

	// Odd form action names, anywhere in the query.
	if (t.kind === 'action') for (const odd of [pick(ODD_ACTIONS), pick(ODD_ACTIONS)]) req(`action ${odd}`, `${path}${odd}`);
	const target = path + t.action;
	// Prototype-polluting field names.
	req('prototype fields', target, { body: form([['__proto__.polluted', '1'], ['constructor.prototype.polluted', '1'], ['a.__proto__', '1'], ['__proto__', '1'], [`${pick(FIELDS)}.constructor`, '1']]) });
	// Sparse and huge indices.
	for (let i = 0; i < 1; i++) req('huge index', target, { body: form([[`${pick(FIELDS)}.${pick(HUGE_INDICES)}`, pick(ODD_VALUES)], [`${pick(FIELDS)}.0.x.${pick(HUGE_INDICES)}.y`, '1']]) });
	req('sparse indices', target, { body: form([0, 7, 99, 499].map((n): [string, string] => [`windows.${n}.date`, '2026-12-01'])) });
	// Duplicated fields, and one field repeated past any list.
	req('duplicated fields', target, { body: form(FIELDS.flatMap((f): [string, string][] => [[f, 'a'], [f, 'b']])) });
	req('repeated field', target, { body: form(Array.from({ length: 600 }, (): [string, string] => [pick(FIELDS), 'x'])) });
	// Wrong content types.
	req('form as json', target, { body: 'a=1&b=2', headers: { 'content-type': 'application/json' } });
	req('json as form', target, { body: '{"username":{"$gt":""}}', headers: { 'content-type': FORM_TYPE } });
	req('text/plain', target, { body: 'hello', headers: { 'content-type': 'text/plain' } });
	req('multipart without boundary', target, { body: '--x\r\n', headers: { 'content-type': 'multipart/form-data' } });
	req('broken multipart', target, { body: '--b\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--b', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
	req('bogus charset', target, { body: 'a=%ff%fe', headers: { 'content-type': `${FORM_TYPE}; charset=x-bogus` } });
	req('jpeg bytes', target, { body: Buffer.from(Array.from({ length: 2048 }, () => Math.floor(rnd() * 256))), headers: { 'content-type': 'image/jpeg' } });
	// Deep, huge and prototype JSON.
	const jsonHeaders = { 'content-type': 'application/json' };
	req('deep json', target, { body: '['.repeat(50_000 + Math.floor(rnd() * 50_000)), headers: jsonHeaders });
	req('deep json objects', target, { body: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000), headers: jsonHeaders });
	req('prototype json', target, { body: JSON.stringify(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"mutations":[{"__proto__":{"id":1}}],"since":{"__proto__":null}}')), headers: jsonHeaders });
	req('huge json list', target, { body: JSON.stringify({ mutations: Array.from({ length: 40_000 }, (_, i) => ({ id: i })) }), headers: jsonHeaders });
	// Bodies just over each limit.
	req('form just over 512 KB', target, { body: `notes=${'a'.repeat(FORM_MAX + 1 - 6)}` });
	if (t.kind === 'endpoint') {
		req('photo just over 1 MB', target, { body: Buffer.alloc(PHOTO_MAX + 1, 0xff), headers: { 'content-type': 'image/jpeg' } });
		req('json just over 5 MB', target, { body: `{"x":"${'a'.repeat(SYNC_MAX + 1 - 8)}"}`, headers: jsonHeaders });
		req('body just over 6 MB', target, { body: Buffer.alloc(BODY_MAX + 1, 0x61), headers: { 'content-type': 'application/octet-stream' } });
	}
	// Seeded random junk forms.
	for (let i = 0; i < 1; i++) {
		const pairs = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (): [string, string] => [
			[pick(FIELDS), pick(FIELDS) + '.' + Math.floor(rnd() * 1e6), `${pick(FIELDS)}[]`, pick(FIELDS) + '.' + pick(FIELDS)][Math.floor(rnd() * 4)],
			pick(ODD_VALUES)
		]);
		req('random form', target, { body: form(pairs) });
	}
	return cases;
}

const isBig = (body: RawRequest['body']) => (body?.length ?? 0) > 64 * 1024;

type Outcome = { label: string; category: string; status: number; ms: number; problem: string | null };

const STACK_RE = /\n\s+at .+\.(js|ts):\d+/;

function problemOf(res: RawResponse, signedIn: boolean, personal: string[]): string | null {
	if (res.status === 0) return 'no answer';
	if (res.status >= 500) return `status ${res.status}`;
	if (res.status < 400) return null;
	if (FULL_ID_RE.test(res.body)) return 'full ID number in an error body';
	if (STACK_RE.test(res.body)) return 'stack trace in an error body';
	// A refused form on a page may show that page again (the user's own view of their scope);
	// any other error body (JSON, text, anonymous) names no resident at all.
	const contentType = res.headers['content-type']?.[0] ?? '';
	if (!signedIn || !contentType.startsWith('text/html')) {
		const leaked = personal.find((v) => res.body.includes(v));
		if (leaked) return 'personal data in an error body';
	}
	return null;
}

/** Runs `jobs` with at most `width` in flight. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < jobs.length) {
				const i = next++;
				results[i] = await jobs[i]();
			}
		})
	);
	return results;
}

test('hostile input: no 5xx, no crash, no memory growth, no row changed, nothing personal', async () => {
	test.setTimeout(300_000);
	console.log(`hostile-input seed: ${seed} (HOSTILE_SEED=${seed} replays this run)`);
	const targets = enumerateRoutes();
	// The enumeration must see the app as it is: pages, named actions, endpoints of each method.
	expect(targets.some((t) => t.kind === 'page' && t.route === '/approvals/[id]')).toBe(true);
	expect(targets.some((t) => t.kind === 'action' && t.route === '/approvals/dispatch' && t.action === '?/publish')).toBe(true);
	expect(targets.some((t) => t.kind === 'endpoint' && t.method === 'PUT' && t.route === '/api/photos/[id]')).toBe(true);

	const cookies = new Map<string, string>();
	for (const who of SESSIONS) if (who) cookies.set(who, await signIn(port, who, DEMO_PASSWORD));

	// Warm-up: every GET once, plainly, per session (lazily created state, compiled routes), so
	// the digest and memory below measure only the hostile requests.
	const gets = targets.filter((t) => t.method === 'GET');
	await pool(
		SESSIONS.flatMap((who) => gets.map((t) => () => rawRequest(port, { method: 'GET', target: fillRoute(t.route, () => randomId()), headers: baseHeaders(who ? cookies.get(who)! : null, false) }))),
		4
	);
	// …and one over-limit body per endpoint write: the first multi-megabyte bodies grow the
	// heap and the allocator's pools once, which is not what the memory bound looks for (a
	// request that makes the server hold on to, or balloon to, memory).
	const writes = targets.filter((t) => t.kind === 'endpoint' && t.method !== 'GET' && t.route !== '/logout');
	await pool(
		writes.map((t) => () => rawRequest(port, { method: t.method, target: fillRoute(t.route, () => randomId()), headers: { ...baseHeaders(cookies.get('staff1')!, false), 'content-type': 'application/json' }, body: Buffer.alloc(SYNC_MAX + 1, 0x61) })),
		2
	);
	const personal = personalValues();
	const digestBefore = digestTables();
	const memBefore = await serverMemoryAfterGc(port);
	let rssPeak = memBefore?.rss ?? 0;

	const hasGet = new Set(gets.map((t) => t.route));
	const jobs: (() => Promise<Outcome>)[] = [];
	const bigJob: boolean[] = [];
	for (const who of SESSIONS) {
		const cookie = who ? cookies.get(who)! : null;
		for (const t of targets) {
			// Signing out ends the session whatever the body says: only tried without one.
			if (cookie && t.route === '/logout') continue;
			for (const c of casesFor(t, cookie, hasGet)) {
				const label = `${who ?? 'anonymous'} ${t.method} ${t.route}${t.action} [${c.label}]`;
				bigJob.push(isBig(c.req.body));
				jobs.push(async () => {
					const t0 = Date.now();
					const res = await rawRequest(port, c.req);
					const ms = Date.now() - t0;
					if (Math.random() < 0.02) rssPeak = Math.max(rssPeak, serverRss(port) ?? 0);
					// A body over a limit may be refused before it is all sent: the server answers
					// and closes, and the rest of the upload meets a closed connection (as with curl
					// or a browser). That is a refusal, provided the server answers the next request.
					if (res.status === 0 && isBig(c.req.body)) {
						const next = await rawRequest(port, { method: 'GET', target: '/login' });
						return { label, category: c.label, status: -1, ms, problem: next.status === 200 ? null : 'no answer, and the server then did not answer either' };
					}
					return { label, category: c.label, status: res.status, ms, problem: problemOf(res, !!cookie, personal) };
				});
			}
		}
	}
	const started = Date.now();
	// Multi-megabyte bodies one at a time (several at once would measure the allocator, not us).
	const outcomes = [...(await pool(jobs.filter((_, i) => !bigJob[i]), 6)), ...(await pool(jobs.filter((_, i) => bigJob[i]), 1))];
	const seconds = ((Date.now() - started) / 1000).toFixed(1);

	const classes: Record<string, number> = {};
	for (const o of outcomes) {
		const k = o.status === 0 ? 'no answer' : o.status === -1 ? 'closed while sending an over-limit body' : `${Math.floor(o.status / 100)}xx`;
		classes[k] = (classes[k] ?? 0) + 1;
	}
	const problems = outcomes.filter((o) => o.problem);
	const time = new Map<string, number>();
	for (const o of outcomes) time.set(o.category, (time.get(o.category) ?? 0) + o.ms);
	console.log(`hostile-input: slowest kinds (total ms): ${[...time].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v}`).join(', ')}`);
	const alive = await rawRequest(port, { method: 'GET', target: '/login' });
	rssPeak = Math.max(rssPeak, serverRss(port) ?? 0);
	const memAfter = await serverMemoryAfterGc(port);
	const mb = (n: number | null) => (n === null ? 'n/a' : `${(n / 2 ** 20).toFixed(0)} MB`);
	console.log(
		`hostile-input: ${outcomes.length} requests to ${targets.length} routes × ${SESSIONS.length} sessions in ${seconds} s; ` +
			`by status: ${Object.entries(classes)
				.sort()
				.map(([k, n]) => `${k} ${n}`)
				.join(', ')}; problems: ${problems.length}; server memory held after a full collection ${mb(memBefore?.live ?? null)} → ${mb(memAfter?.live ?? null)}, resident ${mb(memBefore?.rss ?? null)} → ${mb(memAfter?.rss ?? null)} (peak seen ${mb(rssPeak)}); seed ${seed}`
	);

	expect(problems.slice(0, 20).map((p) => `${p.label}: ${p.problem}`), `seed ${seed}`).toEqual([]);
	expect(alive.status, 'the server still answers').toBe(200);
	expect(digestTables(), 'no row of any table changed').toEqual(digestBefore);
	expect(memBefore && memAfter, 'the server process was found').toBeTruthy();
	expect(memAfter!.live - memBefore!.live, 'memory the server holds on to grew').toBeLessThan(100 * 2 ** 20);
});
