import { expect, test, type PlaywrightWorkerArgs } from '@playwright/test';
import { count } from './helpers';
import {
	HOME,
	approveAs,
	auditCount,
	clientFor,
	dbAll,
	dbGet,
	disposeClients,
	freeSlot,
	msg,
	newRequestForm,
	requestRow,
	requestsWhere,
	residentRow,
	residents,
	snapshot,
	submitAs,
	user,
	visitsOf,
	visitRow,
	type Client,
	type ActionRes,
	type DbRequest,
	type DbResident,
	type DbVisit,
	type Form,
	type Res
} from './access-helpers';

/*
 * Access control of every page, form action and API endpoint, role by role, against the real
 * server (HTTP only, no browser). Every response of the suite is also checked for full resident
 * ID numbers and for personal data outside the signed-in user's scope (see Client.check).
 *
 * Users of the matrix: anonymous, worker1 (高桥社区 → 城厢), head1 (城厢支行营业部),
 * staff1 (城厢, assigned to the shared visit), admin.
 */

type Who = 'anonymous' | 'worker1' | 'head1' | 'staff1' | 'admin';
const WHO: Who[] = ['anonymous', 'worker1', 'head1', 'staff1', 'admin'];
const ALL_SIGNED_IN: Who[] = ['worker1', 'head1', 'staff1', 'admin'];

let baseURL = '';
let factory: PlaywrightWorkerArgs['playwright']['request'];
test.beforeAll(({ playwright }, info) => {
	baseURL = info.project.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;
	factory = playwright.request;
});
test.afterAll(async () => disposeClients());
const as = (who: string) => clientFor(factory, baseURL, who);

/** The demo data the matrix points at, read once from the server's database. */
interface World {
	/** A 高桥社区 request with a scheduled visit of staff1: in scope of worker1, head1, staff1 and admin. */
	shared: DbRequest;
	sharedVisit: DbVisit;
	sharedResident: DbResident;
}
let world: World | undefined;
function getWorld(): World {
	if (world) return world;
	const staff1 = user('staff1');
	const shared = requestsWhere(
		`c.name = '高桥社区' and q.status = 'approved' and exists (select 1 from visits v where v.request_id = q.id and v.status = 'scheduled' and (v.lead_staff_id = ? or v.second_staff_id = ?))`,
		staff1.id,
		staff1.id
	)[0];
	expect(shared, 'demo data: an approved 高桥社区 request visited by staff1').toBeTruthy();
	const sharedVisit = visitsOf(shared.id).find((v) => v.status === 'scheduled')!;
	world = { shared, sharedVisit, sharedResident: residentRow(shared.resident_id)! };
	return world;
}

const isLogin = (location: string | null) => !!location && /^(https?:\/\/[^/]+)?\/login(\?|$)/.test(location);

/** What a refusal must not show: the target resident's name and phone. */
function expectNothingOf(res: Res, r: DbResident | undefined) {
	if (!r) return;
	expect(res.body, 'refusal shows the resident name').not.toContain(r.name);
	expect(res.body, 'refusal shows the resident phone').not.toContain(r.phone);
}

// =============================================================================================
// Pages and API endpoints (GET)

interface GetRow {
	path: (w: World) => string;
	allowed: Who[];
	api?: boolean;
	/** A SvelteKit data request (`__data.json`): refusals arrive as a data node, not as a page. */
	data?: boolean;
	/** The client-rendered field shell: no data in the page; other roles are redirected home. */
	shell?: boolean;
	verify?: (res: Res, who: Who, w: World) => void;
}

const json = (res: Res) => JSON.parse(res.body) as Record<string, unknown>;

const GET_ROWS: GetRow[] = [
	{ path: () => '/requests', allowed: ['worker1'] },
	{ path: () => '/requests/new', allowed: ['worker1'] },
	{ path: (w) => `/requests/${w.shared.id}`, allowed: ['worker1'], verify: (res, _, w) => expect(res.body).toContain(w.shared.ref) },
	{ path: (w) => `/requests/${w.shared.id}/__data.json`, allowed: ['worker1'], data: true },
	{ path: () => '/approvals', allowed: ['head1'] },
	{ path: (w) => `/approvals/${w.shared.id}`, allowed: ['head1'], verify: (res, _, w) => expect(res.body).toContain(w.shared.ref) },
	{ path: (w) => `/approvals/${w.shared.id}/__data.json`, allowed: ['head1'], data: true },
	{ path: (w) => `/approvals/day?date=${w.sharedVisit.date}`, allowed: ['head1'] },
	// The field app is an empty client-rendered shell (its data comes from the tablet's store and
	// /api/sync/pull): the page itself carries no personal data, and other roles go to their start page.
	{ path: (w) => `/field?date=${w.sharedVisit.date}`, allowed: ['staff1'], shell: true },
	{ path: (w) => `/field/visits/${w.sharedVisit.id}`, allowed: ['staff1'], shell: true },
	{ path: () => '/admin', allowed: ['admin'] },
	{ path: () => '/admin/users', allowed: ['admin'] },
	{ path: () => '/admin/outlets', allowed: ['admin'] },
	{ path: () => '/admin/services', allowed: ['admin'] },
	{ path: () => '/admin/calendar', allowed: ['admin'] },
	{ path: () => '/admin/requests', allowed: ['admin'] },
	{ path: () => '/admin/requests/__data.json', allowed: ['admin'], data: true },
	{
		path: () => '/api/me',
		allowed: ALL_SIGNED_IN,
		api: true,
		verify: (res, who) => expect(json(res)).toMatchObject({ username: who, role: user(who).role })
	},
	{ path: () => '/api/requests', allowed: ['worker1', 'head1', 'admin'], api: true, verify: (res) => expect(Array.isArray(json(res).requests)).toBe(true) },
	{
		path: (w) => `/api/requests/${w.shared.id}`,
		allowed: ALL_SIGNED_IN,
		api: true,
		verify: (res, _, w) => expect((json(res).request as { id: string }).id).toBe(w.shared.id)
	},
	{
		path: (w) => `/api/visits?date=${w.sharedVisit.date}`,
		allowed: ['head1', 'staff1'],
		api: true,
		verify: (res, _, w) => expect(res.body).toContain(w.sharedVisit.id)
	}
];

for (const row of GET_ROWS) {
	const label = row.path({ shared: { id: ':id' }, sharedVisit: { id: ':visit', date: ':date' } } as unknown as World);
	test.describe(`GET ${label}`, () => {
		for (const who of WHO) {
			const allowed = row.allowed.includes(who);
			test(`${who} → ${who === 'anonymous' ? (row.api ? '401' : 'sign in') : allowed ? 'allowed' : 'refused'}`, async () => {
				const w = getWorld();
				const c = await as(who);
				const res = await c.get(row.path(w), { headers: { accept: row.api || row.data ? 'application/json' : 'text/html' } });
				if (who === 'anonymous') {
					if (row.api) {
						expect(res.status).toBe(401);
						expect(json(res).message).toBe('err_unauthenticated');
					} else if (row.data) {
						// A data request hears about the redirect in JSON.
						expect(res.status === 200 ? (json(res) as { type: string; location: string }) : { type: 'http', location: res.location }).toMatchObject({
							location: expect.stringMatching(/\/login\?next=/)
						});
					} else {
						expect(res.status).toBe(303);
						expect(isLogin(res.location), `redirect to /login, got ${res.location}`).toBe(true);
					}
					expectNothingOf(res, w.sharedResident);
				} else if (allowed) {
					expect(res.status, res.body.slice(0, 300)).toBe(200);
					if (row.data) expect(res.body).not.toContain('"type":"error"');
					if (row.shell) expectNothingOf(res, w.sharedResident);
					row.verify?.(res, who, w);
				} else if (row.shell) {
					expect(res.status).toBe(303);
					expect(res.location).not.toMatch(/^\/field/);
					expectNothingOf(res, w.sharedResident);
				} else if (row.data && res.status === 200) {
					// SvelteKit answers a data request with 200 and the refusal as an error node.
					expect(res.body).toContain('"status":403');
					expect(res.body).toContain('err_forbidden');
					expectNothingOf(res, w.sharedResident);
				} else {
					expect(res.status).toBe(403);
					// JSON for API and data requests; pages: see 'a refused page is the translated 403 page'.
					if (row.api || row.data) expect(json(res).message).toBe('err_forbidden');
					expectNothingOf(res, w.sharedResident);
				}
			});
		}
	});
}

test('a refused page is the translated 403 page, not the raw message code', async () => {
	const res = await (await as('worker1')).get('/admin', { headers: { accept: 'text/html' } });
	expect(res.status).toBe(403);
	expect(res.body).toContain('lang="zh-CN"');
	expect(res.body).toContain(msg('error_forbidden_title'));
	expect(res.body).toContain(msg('err_forbidden'));
	expect(res.body).not.toMatch(/>\s*err_forbidden\s*</);
});

test('control: the leak checks catch a foreign phone number and a full ID number', async () => {
	const head = await as('head1');
	const foreign = residentRow(requestsWhere(`o.name = '北干网点'`)[0].resident_id)!;
	expect(head.secrets).toContain(foreign.phone);
	const res = (body: string): Res => ({ status: 200, location: null, body, contentType: 'text/html' });
	expect(() => head.check(res(`<p>${foreign.phone}</p>`), 'control')).toThrow();
	expect(() => head.check(res(`<p>${foreign.id_number}</p>`), 'control')).toThrow();
	expect(() => head.check(res('<p>nothing personal</p>'), 'control')).not.toThrow();
});

test.describe('GET / and /login', () => {
	for (const who of WHO) {
		test(`${who}: / sends to ${who === 'anonymous' ? '/login' : 'the home of the role'}`, async () => {
			const c = await as(who);
			const res = await c.get('/', { headers: { accept: 'text/html' } });
			expect(res.status).toBe(303);
			if (who === 'anonymous') expect(isLogin(res.location), String(res.location)).toBe(true);
			else expect(res.location).toBe(HOME[user(who).role]);
			const login = await c.get('/login', { headers: { accept: 'text/html' } });
			if (who === 'anonymous') expect(login.status).toBe(200);
			else expect([login.status, login.location]).toEqual([303, HOME[user(who).role]]);
		});
	}
});

test.describe('POST /logout and /lang', () => {
	test('logout ends the session: the same cookie then gets 401 from the API', async () => {
		const c = await clientFor(factory, baseURL, 'worker2'); // its own session: the others stay signed in
		expect((await c.get('/api/me')).status).toBe(200);
		const res = await c.post('/logout');
		expect([res.status, res.location]).toEqual([303, '/login']);
		expect((await c.get('/api/me')).status).toBe(401);
		expect((await c.get('/requests', { headers: { accept: 'text/html' } })).location).toMatch(/^\/login\?next=/);
	});

	for (const who of ['anonymous', 'head1'] as Who[]) {
		test(`${who}: /lang sets the language and only goes back to a same-site path`, async () => {
			const c = await as(who);
			const res = await c.post('/lang', { locale: 'zh', next: '/login' });
			expect(res.status).toBe(303);
			expect(res.location).toBe('/login');
			const offsite = await c.post('/lang', { locale: 'zh', next: '//evil.example/x' });
			expect(offsite.location).toBe('/');
		});
	}
});

// =============================================================================================
// Form actions

interface Target {
	requestId?: string;
	visitId?: string;
	residentId?: string;
	/** Anything else an admin row needs (a user id, a service code, a date…). */
	key?: string;
}

interface ActionRow {
	label: string;
	/** The one user whose (valid) post must succeed; every other user of the matrix is refused. */
	allowed: Exclude<Who, 'anonymous'>;
	prepare: () => Promise<Target>;
	url: (t: Target) => string;
	form: (t: Target) => Form;
	/** The state a refused post must leave as it was. */
	state: (t: Target) => unknown;
	/** After the allowed post: the answer and the database. */
	verify: (res: ActionRes, t: Target) => void;
}

const anyResident = (community: string) =>
	dbGet<{ id: string; name: string }>(`select r.id, r.name from residents r join communities c on c.id = r.community_id where c.name = ?`, community)!;

/** A fresh 高桥社区 request of worker1 in the wanted state, made through the real actions. */
async function freshRequest(state: 'submitted' | 'approved' | 'not_home' | 'completed'): Promise<Target> {
	const requestId = await submitAs(await as('worker1'));
	if (state === 'submitted') return { requestId };
	const head = await as('head1');
	const visit = await approveAs(head, requestId, 'staff1', 'staff2');
	if (state !== 'approved') {
		const res = await head.action(`/approvals/${requestId}?/outcome`, { outcome: state, note: '' });
		expect(res.type, res.body).toBe('redirect');
	}
	return { requestId, visitId: visit.id };
}

const requestState = (t: Target) => snapshot(t.requestId!);
const redirectsTo = (res: ActionRes, target: string) => {
	expect(res.type, res.body.slice(0, 400)).toBe('redirect');
	expect(res.target).toBe(target);
};
const headRedirect = (action: string) => (res: ActionRes, t: Target) => redirectsTo(res, `/approvals/${t.requestId}?done=${action}`);
const status = (t: Target) => requestRow(t.requestId!)!.status;

let unique = 0;
const uniq = () => `${Date.now().toString(36)}${unique++}`;

/** Admin rows: a record made by the admin first, found again by a unique name. */
async function adminMake(path: string, action: string, form: Form) {
	const res = await (await as('admin')).action(`${path}?/${action}`, form);
	expect(res.type, res.body.slice(0, 400)).toBe('success');
}
const adminSuccess = (notice: string) => (res: ActionRes) => {
	expect(res.type, res.body.slice(0, 400)).toBe('success');
	expect(res.data?.notice).toBe(notice);
};
const userRow = (id: string) => dbGet<Record<string, unknown>>('select display_name, active, password_hash, role from users where id = ?', id);
async function adminMadeUser(): Promise<Target> {
	const username = `acc_${uniq()}`;
	await adminMake('/admin/users', 'create', { username, displayName: '测试账号', role: 'field_staff', outletId: user('staff1').outlet_id!, communityId: '', password: 'Initial-Pass-2026' });
	return { key: user(username).id };
}
function freeCalendarDate(): string {
	const taken = new Set(dbAll<{ date: string }>('select date from calendar_days').map((d) => d.date));
	for (let d = 1; ; d++) {
		const date = `2031-03-${String(d).padStart(2, '0')}`;
		if (!taken.has(date)) return date;
	}
}
const outletForm = (name: string): Form => ({ name, address: '杭州市萧山区测试路 1 号', lat: '30.17', lng: '120.27', openingHours: '', decideDays: '1', visitDays: '5', active: 'on' });
const serviceForm = (code: string, nameZh: string): Form => ({ code, nameZh, nameEn: 'Access test', durationMin: '30', sort: '90', active: 'on' });

const ACTION_ROWS: ActionRow[] = [
	{
		label: 'POST /requests/new (submit)',
		allowed: 'worker1',
		prepare: async () => ({ residentId: anyResident('高桥社区').id }),
		url: () => '/requests/new',
		form: (t) => newRequestForm(t.residentId!, residentRow(t.residentId!)!.name),
		state: () => [count('requests'), count('residents')],
		verify: (res) => expect(res.target).toMatch(/^\/requests\/[^/]+\?created=1$/)
	},
	{
		label: 'POST /requests/:id?/cancel',
		allowed: 'worker1',
		prepare: () => freshRequest('submitted'),
		url: (t) => `/requests/${t.requestId}?/cancel`,
		form: () => ({ reason: '家属已陪同老人到网点办理' }),
		state: requestState,
		verify: (res, t) => {
			redirectsTo(res, `/requests/${t.requestId}`);
			expect(status(t)).toBe('cancelled');
		}
	},
	{
		label: 'POST /approvals/:id?/approve',
		allowed: 'head1',
		prepare: () => freshRequest('submitted'),
		url: (t) => `/approvals/${t.requestId}?/approve`,
		form: () => freeSlot(user('staff1').id, user('staff3').id),
		state: requestState,
		verify: (res, t) => {
			headRedirect('approve')(res, t);
			expect(status(t)).toBe('approved');
			expect(visitsOf(t.requestId!)).toHaveLength(1);
		}
	},
	{
		label: 'POST /approvals/:id?/reject',
		allowed: 'head1',
		prepare: () => freshRequest('submitted'),
		url: (t) => `/approvals/${t.requestId}?/reject`,
		form: () => ({ reason: '可由家属陪同到网点办理' }),
		state: requestState,
		verify: (res, t) => {
			headRedirect('reject')(res, t);
			expect(status(t)).toBe('rejected');
		}
	},
	{
		label: 'POST /approvals/:id?/cancel',
		allowed: 'head1',
		prepare: () => freshRequest('approved'),
		url: (t) => `/approvals/${t.requestId}?/cancel`,
		form: () => ({ reason: '老人已转院，暂停上门' }),
		state: requestState,
		verify: (res, t) => {
			headRedirect('cancel')(res, t);
			expect(status(t)).toBe('cancelled');
			expect(visitsOf(t.requestId!).map((v) => v.status)).toEqual(['cancelled']);
		}
	},
	{
		label: 'POST /approvals/:id?/reschedule',
		allowed: 'head1',
		prepare: () => freshRequest('approved'),
		url: (t) => `/approvals/${t.requestId}?/reschedule`,
		form: () => ({ ...freeSlot(user('staff2').id, user('staff3').id), reason: '家属要求改期' }),
		state: requestState,
		verify: (res, t) => {
			headRedirect('reschedule')(res, t);
			expect(visitsOf(t.requestId!)[0].lead_staff_id).toBe(user('staff2').id);
		}
	},
	{
		label: 'POST /approvals/:id?/outcome',
		allowed: 'head1',
		prepare: () => freshRequest('approved'),
		url: (t) => `/approvals/${t.requestId}?/outcome`,
		form: () => ({ outcome: 'completed', note: '' }),
		state: requestState,
		verify: (res, t) => {
			headRedirect('outcome')(res, t);
			expect(status(t)).toBe('completed');
		}
	},
	{
		label: 'POST /approvals/:id?/reopen',
		allowed: 'head1',
		prepare: () => freshRequest('not_home'),
		url: (t) => `/approvals/${t.requestId}?/reopen`,
		form: () => freeSlot(user('staff1').id, user('staff2').id),
		state: requestState,
		verify: (res, t) => {
			headRedirect('reopen')(res, t);
			expect(status(t)).toBe('approved');
			expect(visitsOf(t.requestId!)).toHaveLength(2);
		}
	},
	{
		label: 'POST /approvals/:id?/process',
		allowed: 'head1',
		prepare: () => freshRequest('completed'),
		url: (t) => `/approvals/${t.requestId}?/process`,
		form: () => ({}),
		state: requestState,
		verify: (res, t) => {
			headRedirect('process')(res, t);
			expect(status(t)).toBe('processed');
		}
	},
	{
		label: 'POST /approvals/:id?/reveal',
		allowed: 'head1',
		prepare: async () => ({ requestId: getWorld().shared.id, residentId: getWorld().shared.resident_id }),
		url: (t) => `/approvals/${t.requestId}?/reveal`,
		form: (t) => ({ residentId: t.residentId! }),
		state: (t) => auditCount('reveal_id', t.residentId),
		verify: (res, t) => {
			expect(res.type).toBe('success');
			expect(res.data?.revealed).toBe(residentRow(t.residentId!)!.id_number);
			expect(auditCount('reveal_id', t.residentId)).toBeGreaterThan(0);
		}
	},
	// ---- admin
	{
		label: 'POST /admin/users?/create',
		allowed: 'admin',
		prepare: async () => ({}),
		url: () => '/admin/users?/create',
		form: () => ({ username: `acc_${uniq()}`, displayName: '新外勤', role: 'field_staff', outletId: user('staff1').outlet_id!, communityId: '', password: 'Initial-Pass-2026' }),
		state: () => count('users'),
		verify: adminSuccess('admin_notice_user_created')
	},
	{
		label: 'POST /admin/users?/update',
		allowed: 'admin',
		prepare: adminMadeUser,
		url: () => '/admin/users?/update',
		form: (t) => ({ id: t.key!, displayName: '改过的名字', role: 'field_staff', outletId: user('staff1').outlet_id!, communityId: '' }),
		state: (t) => userRow(t.key!),
		verify: (res, t) => {
			adminSuccess('admin_notice_user_updated')(res);
			expect(userRow(t.key!)!.display_name).toBe('改过的名字');
		}
	},
	{
		label: 'POST /admin/users?/deactivate',
		allowed: 'admin',
		prepare: adminMadeUser,
		url: () => '/admin/users?/deactivate',
		form: (t) => ({ id: t.key! }),
		state: (t) => userRow(t.key!),
		verify: (res, t) => {
			adminSuccess('admin_notice_user_deactivated')(res);
			expect(userRow(t.key!)!.active).toBe(0);
		}
	},
	{
		label: 'POST /admin/users?/reactivate',
		allowed: 'admin',
		prepare: async () => {
			const t = await adminMadeUser();
			await adminMake('/admin/users', 'deactivate', { id: t.key! });
			return t;
		},
		url: () => '/admin/users?/reactivate',
		form: (t) => ({ id: t.key! }),
		state: (t) => userRow(t.key!),
		verify: (res, t) => {
			adminSuccess('admin_notice_user_reactivated')(res);
			expect(userRow(t.key!)!.active).toBe(1);
		}
	},
	{
		label: 'POST /admin/users?/resetPassword',
		allowed: 'admin',
		prepare: adminMadeUser,
		url: () => '/admin/users?/resetPassword',
		form: (t) => ({ id: t.key!, password: 'Another-Pass-2026' }),
		state: (t) => userRow(t.key!),
		verify: adminSuccess('admin_notice_password_reset')
	},
	{
		label: 'POST /admin/outlets?/createOutlet',
		allowed: 'admin',
		prepare: async () => ({}),
		url: () => '/admin/outlets?/createOutlet',
		form: () => outletForm(`测试网点${uniq()}`),
		state: () => count('outlets'),
		verify: adminSuccess('admin_notice_outlet_created')
	},
	{
		label: 'POST /admin/outlets?/updateOutlet',
		allowed: 'admin',
		prepare: async () => {
			const name = `测试网点${uniq()}`;
			await adminMake('/admin/outlets', 'createOutlet', outletForm(name));
			return { key: dbGet<{ id: string }>('select id from outlets where name = ?', name)!.id };
		},
		url: () => '/admin/outlets?/updateOutlet',
		form: (t) => ({ id: t.key!, ...outletForm(`改名网点${uniq()}`) }),
		state: (t) => dbGet('select * from outlets where id = ?', t.key!),
		verify: adminSuccess('admin_notice_outlet_updated')
	},
	{
		label: 'POST /admin/outlets?/createCommunity',
		allowed: 'admin',
		prepare: async () => ({}),
		url: () => '/admin/outlets?/createCommunity',
		form: () => ({ outletId: user('head1').outlet_id!, name: `测试社区${uniq()}`, district: '城厢街道', active: 'on' }),
		state: () => count('communities'),
		verify: adminSuccess('admin_notice_community_created')
	},
	{
		label: 'POST /admin/outlets?/updateCommunity',
		allowed: 'admin',
		prepare: async () => {
			const name = `测试社区${uniq()}`;
			await adminMake('/admin/outlets', 'createCommunity', { outletId: user('head1').outlet_id!, name, district: '城厢街道', active: 'on' });
			return { key: dbGet<{ id: string }>('select id from communities where name = ?', name)!.id };
		},
		url: () => '/admin/outlets?/updateCommunity',
		form: (t) => ({ id: t.key!, outletId: user('head1').outlet_id!, name: `改名社区${uniq()}`, district: '城厢街道', active: 'on' }),
		state: (t) => dbGet('select name, outlet_id, active from communities where id = ?', t.key!),
		verify: adminSuccess('admin_notice_community_updated')
	},
	{
		label: 'POST /admin/services?/create',
		allowed: 'admin',
		prepare: async () => ({}),
		url: () => '/admin/services?/create',
		form: () => serviceForm(`acc_${uniq()}`, '测试业务'),
		state: () => count('services'),
		verify: adminSuccess('admin_notice_service_created')
	},
	{
		label: 'POST /admin/services?/update',
		allowed: 'admin',
		prepare: async () => {
			const code = `acc_${uniq()}`;
			await adminMake('/admin/services', 'create', serviceForm(code, '测试业务'));
			return { key: code };
		},
		url: () => '/admin/services?/update',
		form: (t) => {
			const { code: _code, ...rest } = serviceForm('', '改名业务');
			return { id: t.key!, ...rest };
		},
		state: (t) => dbGet('select name_zh, active from services where code = ?', t.key!),
		verify: adminSuccess('admin_notice_service_updated')
	},
	{
		label: 'POST /admin/calendar?/add',
		allowed: 'admin',
		prepare: async () => ({ key: freeCalendarDate() }),
		url: () => '/admin/calendar?/add',
		form: (t) => ({ date: t.key!, kind: 'holiday', name: '测试假日' }),
		state: () => count('calendar_days'),
		verify: adminSuccess('admin_notice_day_added')
	},
	{
		label: 'POST /admin/calendar?/update',
		allowed: 'admin',
		prepare: async () => {
			const date = freeCalendarDate();
			await adminMake('/admin/calendar', 'add', { date, kind: 'holiday', name: '测试假日' });
			return { key: date };
		},
		url: () => '/admin/calendar?/update',
		form: (t) => ({ id: t.key!, date: t.key!, kind: 'holiday', name: '改名假日' }),
		state: (t) => dbGet('select kind, name from calendar_days where date = ?', t.key!),
		verify: adminSuccess('admin_notice_day_updated')
	},
	{
		label: 'POST /admin/calendar?/delete',
		allowed: 'admin',
		prepare: async () => {
			const date = freeCalendarDate();
			await adminMake('/admin/calendar', 'add', { date, kind: 'holiday', name: '测试假日' });
			return { key: date };
		},
		url: () => '/admin/calendar?/delete',
		form: (t) => ({ id: t.key! }),
		state: () => count('calendar_days'),
		verify: adminSuccess('admin_notice_day_deleted')
	}
];

for (const row of ACTION_ROWS) {
	test.describe(row.label, () => {
		let target: Promise<Target> | undefined;
		const prepared = () => (target ??= row.prepare());
		// The refused users first, so the target is still in its starting state for each of them.
		for (const who of [...WHO.filter((u) => u !== row.allowed), row.allowed]) {
			const allowed = who === row.allowed;
			test(`${who} → ${allowed ? 'allowed' : 'refused'}`, async () => {
				const t = await prepared();
				const c = await as(who);
				const before = row.state(t);
				const sharedResident = getWorld().sharedResident;
				const res = await c.action(row.url(t), row.form(t), { allowIds: allowed && row.label.includes('reveal') ? [residentRow(t.residentId!)!.id_number] : [] });
				if (allowed) {
					row.verify(res, t);
					return;
				}
				if (who === 'anonymous') {
					expect(res.type).toBe('redirect');
					expect(isLogin(res.target), `redirect to /login, got ${res.target}`).toBe(true);
				} else {
					expect(res.status, res.body.slice(0, 300)).toBe(403);
					expect(res.message).toBe('err_forbidden');
				}
				expectNothingOf(res, sharedResident);
				expect(row.state(t), 'the refused post changed nothing').toEqual(before);
				// The browser way (no JavaScript): refused as well.
				const page = await c.post(row.url(t), row.form(t));
				expect(page.status === 403 || (page.status === 303 && isLogin(page.location)), `HTML post: ${page.status} ${page.location}`).toBe(true);
				expect(row.state(t)).toEqual(before);
			});
		}
	});
}

// =============================================================================================
// Scope: the right role, but another community's or outlet's data

/** Requests of 北干网点 (head2) in a given status, oldest first. */
const beigan = (status: string) => requestsWhere(`o.name = '北干网点' and q.status = ?`, status);
const xintang = (status: string) => requestsWhere(`c.name = '新塘社区' and q.status = ?`, status);
const residentOf = (r: DbRequest) => residentRow(r.resident_id)!;

function expectRefused(res: ActionRes) {
	expect(res.type === 'failure' || res.status >= 400, res.body.slice(0, 300)).toBe(true);
	expect([403, 404]).toContain(res.actionStatus);
	expect(['err_forbidden', 'err_not_found']).toContain((res.data?.errors as Record<string, string> | undefined)?._form ?? res.message);
}

test.describe('scope: community worker', () => {
	test('worker1 cannot open a 新塘社区 request (page, data, API): 404 without the resident', async () => {
		const worker = await as('worker1');
		const target = xintang('submitted')[0];
		const r = residentOf(target);
		for (const url of [`/requests/${target.id}`, `/requests/${target.id}/__data.json`, `/api/requests/${target.id}`]) {
			const res = await worker.get(url, { headers: { accept: url.includes('data') ? 'application/json' : 'text/html' } });
			if (url.endsWith('__data.json')) expect(res.body).toContain('"status":404');
			else expect(res.status, url).toBe(404);
			expectNothingOf(res, r);
		}
	});

	test('worker1 cannot cancel a 新塘社区 request: refused, row unchanged', async () => {
		const worker = await as('worker1');
		const target = xintang('submitted')[0];
		const before = snapshot(target.id);
		expectRefused(await worker.action(`/requests/${target.id}?/cancel`, { reason: '测试取消他人申请' }));
		expect((await worker.post(`/requests/${target.id}?/cancel`, { reason: '测试取消他人申请' })).status).toBeGreaterThanOrEqual(400);
		expect(snapshot(target.id)).toEqual(before);
	});

	test('worker1 cannot file a request for a 新塘社区 resident: refused, nothing written', async () => {
		const worker = await as('worker1');
		const foreign = residents().find((r) => r.community_id === xintang('submitted')[0].community_id)!;
		const before = [count('requests'), count('residents'), count('audit_log')];
		const res = await worker.action('/requests/new', newRequestForm(foreign.id, foreign.name));
		expect(res.type).toBe('failure');
		expect(res.actionStatus).toBe(403);
		expect([count('requests'), count('residents'), count('audit_log')]).toEqual(before);
	});

	test('worker1 cannot cancel an approved request of their own community (only the outlet can)', async () => {
		const worker = await as('worker1');
		const target = requestsWhere(`c.name = '高桥社区' and q.status = 'approved'`)[0];
		const before = snapshot(target.id);
		const res = await worker.action(`/requests/${target.id}?/cancel`, { reason: '测试取消已排期申请' });
		expect(res.actionStatus).toBe(403);
		expect(errorsOfForm(res)).toBe('err_cancel_needs_outlet');
		expect(snapshot(target.id)).toEqual(before);
	});

	test('/api/requests for worker1: only 高桥社区, all of them, names in full, phones never', async () => {
		const worker = await as('worker1');
		const res = await worker.get('/api/requests');
		const list = json(res).requests as { id: string; communityName: string; resident: { name: string } }[];
		expect(new Set(list.map((r) => r.communityName))).toEqual(new Set(['高桥社区']));
		expect(new Set(list.map((r) => r.id))).toEqual(new Set(requestsWhere(`c.name = '高桥社区'`).map((r) => r.id)));
		for (const r of residents().filter((x) => x.community_id === user('worker1').community_id)) expect(res.body).not.toContain(r.phone);
	});

	test('worker1 /requests page lists no request of another community', async () => {
		const worker = await as('worker1');
		const res = await worker.get('/requests', { headers: { accept: 'text/html' } });
		expect(res.status).toBe(200);
		for (const r of requestsWhere(`c.name <> '高桥社区'`)) expect(res.body, r.ref).not.toContain(r.ref);
	});
});

function errorsOfForm(res: ActionRes): string | undefined {
	return (res.data?.errors as Record<string, string> | undefined)?._form;
}

test.describe('scope: outlet head', () => {
	test('head1 cannot open a 北干网点 request (page, data, API): 404 without the resident', async () => {
		const head = await as('head1');
		const target = beigan('submitted')[0];
		for (const url of [`/approvals/${target.id}`, `/approvals/${target.id}/__data.json`, `/api/requests/${target.id}`]) {
			const res = await head.get(url, { headers: { accept: url.includes('data') ? 'application/json' : 'text/html' } });
			if (url.endsWith('__data.json')) expect(res.body).toContain('"status":404');
			else expect(res.status, url).toBe(404);
			expectNothingOf(res, residentOf(target));
		}
	});

	const cases: { action: string; status: string; form: () => Form }[] = [
		{ action: 'approve', status: 'submitted', form: () => freeSlot(user('staff1').id, user('staff2').id) },
		{ action: 'reject', status: 'submitted', form: () => ({ reason: '测试驳回他网点申请' }) },
		{ action: 'cancel', status: 'approved', form: () => ({ reason: '测试取消他网点申请' }) },
		{ action: 'reschedule', status: 'approved', form: () => ({ ...freeSlot(user('staff1').id, user('staff2').id), reason: '测试改期' }) },
		{ action: 'outcome', status: 'approved', form: () => ({ outcome: 'completed', note: '' }) },
		{ action: 'reopen', status: 'not_home', form: () => freeSlot(user('staff1').id, user('staff2').id) },
		{ action: 'process', status: 'completed', form: () => ({}) }
	];
	for (const c of cases) {
		test(`head1 ?/${c.action} on a ${c.status} 北干网点 request: refused, row and visits unchanged`, async () => {
			const head = await as('head1');
			const target = beigan(c.status)[0];
			expect(target, `demo data: a ${c.status} 北干网点 request`).toBeTruthy();
			const before = snapshot(target.id);
			const visitsBefore = count('visits');
			const res = await head.action(`/approvals/${target.id}?/${c.action}`, c.form());
			expectRefused(res);
			expectNothingOf(res, residentOf(target));
			expect(snapshot(target.id)).toEqual(before);
			expect(count('visits')).toBe(visitsBefore);
		});
	}

	test('head1 ?/reveal on a 北干网点 request: refused, no reveal_id audit row', async () => {
		const head = await as('head1');
		const target = beigan('submitted')[0];
		const before = auditCount('reveal_id');
		expectRefused(await head.action(`/approvals/${target.id}?/reveal`, { residentId: target.resident_id }));
		// A 北干 resident through one of head1's own requests: the resident does not belong to it.
		expectRefused(await head.action(`/approvals/${getWorld().shared.id}?/reveal`, { residentId: target.resident_id }));
		expect(auditCount('reveal_id')).toBe(before);
	});

	test('/api/requests for head1: exactly the 城厢支行营业部 requests', async () => {
		const head = await as('head1');
		const list = json(await head.get('/api/requests')).requests as { id: string; outletName: string }[];
		expect(new Set(list.map((r) => r.outletName))).toEqual(new Set(['城厢支行营业部']));
		expect(new Set(list.map((r) => r.id))).toEqual(new Set(requestsWhere(`o.name = '城厢支行营业部'`).map((r) => r.id)));
	});

	test('/api/visits and /approvals/day for head1: only visits of their outlet', async () => {
		const head = await as('head1');
		const date = getWorld().sharedVisit.date;
		const mine = new Set(dbAll<{ id: string }>('select id from visits where date = ? and outlet_id = ?', date, user('head1').outlet_id).map((v) => v.id));
		const body = (await head.get(`/api/visits?date=${date}`)).body;
		for (const v of dbAll<{ id: string }>('select id from visits where date = ?', date)) expect(body.includes(v.id), v.id).toBe(mine.has(v.id));
		const page = await head.get(`/approvals/day?date=${date}`, { headers: { accept: 'text/html' } });
		expect(page.status).toBe(200);
	});

	test('head1 /approvals inbox shows no 北干 or 宁围 request', async () => {
		const head = await as('head1');
		const res = await head.get('/approvals', { headers: { accept: 'text/html' } });
		expect(res.status).toBe(200);
		for (const r of requestsWhere(`o.name <> '城厢支行营业部'`)) expect(res.body, r.ref).not.toContain(r.ref);
	});
});

test.describe('scope: field staff', () => {
	test('staff4 (北干) and staff3 (城厢, not on the team) never receive a visit of staff1', async () => {
		const w = getWorld();
		for (const who of ['staff4', 'staff3']) {
			const c = await as(who);
			const page = await c.get(`/field/visits/${w.sharedVisit.id}`, { headers: { accept: 'text/html' } });
			expectNothingOf(page, w.sharedResident);
			const pull = await syncCall(c, '/api/sync/pull', { cursor: null });
			expect(pull.status, who).toBe(200);
			expect(pull.body.includes(w.sharedVisit.id), who).toBe(false);
			expectNothingOf(pull, w.sharedResident);
			const api = await c.get(`/api/requests/${w.shared.id}`);
			expect(api.status, who).toBe(404);
			expectNothingOf(api, w.sharedResident);
		}
	});

	test('staff1 cannot record an outcome on a visit not assigned to them', async () => {
		const staff1 = await as('staff1');
		const other = dbGet<{ id: string; request_id: string; version: number }>(
			`select id, request_id, version from visits where status = 'scheduled' and outlet_id = ? order by date`,
			user('staff4').outlet_id
		)!;
		const before = snapshot(other.request_id);
		const res = await syncCall(staff1, '/api/sync/push', { mutations: [completion(other.id, other.version)] });
		expect(res.status).toBe(200);
		expect(JSON.parse(res.body).results[0]).toMatchObject({ status: 'rejected' });
		expect(snapshot(other.request_id)).toEqual(before);
		// Same outlet, not on the team: staff3 on staff1's visit.
		const w = getWorld();
		const sharedBefore = snapshot(w.shared.id);
		const v = visitRow(w.sharedVisit.id)!;
		const res3 = await syncCall(await as('staff3'), '/api/sync/push', { mutations: [completion(v.id, v.version)] });
		expect(JSON.parse(res3.body).results[0]).toMatchObject({ status: 'rejected' });
		expect(snapshot(w.shared.id)).toEqual(sharedBefore);
	});

	test('staff1 /field and /api/visits list only their own visits', async () => {
		const staff1 = await as('staff1');
		const me = user('staff1').id;
		for (const date of dbAll<{ date: string }>(`select distinct date from visits where status = 'scheduled'`).map((d) => d.date)) {
			const body = (await staff1.get(`/api/visits?date=${date}`)).body;
			for (const v of dbAll<{ id: string; lead_staff_id: string; second_staff_id: string }>('select id, lead_staff_id, second_staff_id from visits where date = ?', date)) {
				expect(body.includes(v.id), `${date} ${v.id}`).toBe(v.lead_staff_id === me || v.second_staff_id === me);
			}
		}
	});
});

test.describe('scope: admin', () => {
	test('admin lists show residents masked: surname + *, no full name, no phone', async () => {
		const admin = await as('admin');
		const api = await admin.get('/api/requests');
		const list = json(api).requests as { resident: { name: string } | null }[];
		expect(list.length).toBe(count('requests'));
		for (const r of list) expect(r.resident?.name).toMatch(/^\S\*$/u);
		const page = await admin.get('/admin/requests', { headers: { accept: 'text/html' } });
		expect(page.status).toBe(200);
		for (const body of [api.body, page.body]) {
			for (const r of residents()) expect(body, r.name).not.toContain(r.name);
		}
	});
});

/** A device registered for this client, then a JSON call to a sync endpoint with its header. */
const devices = new Map<string, string>();
async function syncCall(c: Client, url: string, body: unknown): Promise<Res> {
	let device = devices.get(c.username);
	if (!device) {
		const r = await c.ctx.post('/api/devices', { data: { label: 'access test' }, headers: { origin: c.baseURL } });
		device = ((await r.json()) as { id: string }).id;
		devices.set(c.username, device);
	}
	const r = await c.ctx.post(url, { data: body, headers: { origin: c.baseURL, 'x-doorstep-device': device } });
	const res = { status: r.status(), location: null, body: await r.text(), contentType: r.headers()['content-type'] ?? '' };
	c.check(res, `POST ${url}`);
	return res;
}

function completion(visitId: string, version: number) {
	const at = new Date().toISOString();
	return {
		id: crypto.randomUUID(),
		type: 'visit.complete',
		entityId: visitId,
		baseVersion: version,
		payload: { outcome: 'refused', note: null, visitedAt: at, consent: null, confirmedBy: [] },
		createdAt: at,
		deviceId: devices.values().next().value ?? ''
	};
}
