import { expect, test, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { makeResidentId } from '../../src/lib/domain/resident-id';
import { count, login, shanghaiDate } from './helpers';
import {
	approveAs,
	clientFor,
	disposeClients,
	errorsOf,
	freeSlot,
	msg,
	requestRow,
	submitAs,
	user,
	visitsOf,
	type ActionRes,
	type Client,
	type Form
} from './access-helpers';

/*
 * Bad input gets a clear message in the current language next to the field and in the error
 * summary, a 4xx status, and writes nothing. Messages come from messages/*.json, never typed here.
 * Status codes are read with a request context (SvelteKit's action JSON), messages in Chromium.
 */

let baseURL = '';
let factory: PlaywrightWorkerArgs['playwright']['request'];
test.beforeAll(({ playwright }, info) => {
	baseURL = info.project.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;
	factory = playwright.request;
});
test.afterAll(async () => disposeClients());
const as = (who: string) => clientFor(factory, baseURL, who);

type Lang = 'zh' | 'en';

/** A valid 18-digit ID with its check digit changed: right length and format, wrong check digit. */
function idWithWrongCheckDigit(): string {
	const valid = makeResidentId('330109', '1942-03-08', String(100 + (Date.now() % 800)).slice(0, 3));
	const last = valid.slice(-1);
	return valid.slice(0, 17) + (last === '1' ? '2' : '1');
}

/** A complete, valid "new resident" request form; tests spoil one field at a time. */
function newResidentForm(overrides: Form = {}): Form {
	return {
		residentMode: 'new',
		'resident.name': '测试居民',
		'resident.phone': '13800001234',
		'resident.idNumber': makeResidentId('330109', '1940-01-15', '246'),
		'resident.district': '城厢街道',
		'resident.address': '杭州市萧山区城厢街道高桥路 12 号',
		'resident.mobility': 'limited',
		'resident.placeType': 'home',
		'resident.lat': '',
		'resident.lng': '',
		services: 'pin_reset',
		'windows.0.date': shanghaiDate(5),
		'windows.0.start': '09:00',
		'windows.0.end': '11:00',
		'windows.1.date': shanghaiDate(6),
		'windows.1.start': '14:00',
		'windows.1.end': '16:00',
		urgency: 'normal',
		notes: '',
		consentBy: 'resident',
		consentName: '测试居民',
		consentAgreed: 'true',
		...overrides
	};
}

/** The same form, typed into the page (the worker is signed in and on /requests/new). */
async function fillNewResident(page: Page, lang: Lang, overrides: Record<string, string> = {}) {
	const f = newResidentForm(overrides) as Record<string, string>;
	await page.getByLabel(msg('resident_new', lang), { exact: true }).check();
	for (const k of ['name', 'phone', 'idNumber', 'district', 'address']) await page.fill(`#resident-${k}`, f[`resident.${k}`]);
	await page.locator('input[name="services"][value="pin_reset"]').check();
	for (const i of [0, 1]) for (const k of ['date', 'start', 'end']) await page.fill(`#windows-${i}-${k}`, f[`windows.${i}.${k}`]);
	await page.fill('#consentName', f.consentName);
	await page.locator('#consentAgreed').check();
}

async function submitNewRequest(page: Page, lang: Lang) {
	await page.getByRole('button', { name: msg('submit_request', lang) }).click();
	await expect(page.locator('[aria-labelledby="error-summary-title"]')).toBeVisible();
}

/** A Cookie header with the client's session plus `extra` (a header replaces the context's cookies). */
async function cookieHeader(c: Client, extra: string): Promise<string> {
	const { cookies } = await c.ctx.storageState();
	return [...cookies.map((k) => `${k.name}=${k.value}`), extra].join('; ');
}

/** The message next to a field and the same message, linked to the field, in the error summary. */
async function expectFieldError(page: Page, fieldId: string, code: string, lang: Lang = 'zh') {
	await expect(page.locator(`#${fieldId}-error`)).toHaveText(msg(code, lang));
	await expect(page.locator(`#${fieldId}`)).toHaveAttribute('aria-invalid', 'true');
	const summary = page.locator('[aria-labelledby="error-summary-title"]');
	await expect(summary.getByRole('heading')).toHaveText(msg('error_summary_title', lang));
	// The entry names its field ("居民身份证号码：…", "ID number: …"), so eight identical messages still say which field.
	const named = new RegExp(`^[^：:]+[：:] ?${msg(code, lang).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
	await expect(summary.locator(`a[href="#${fieldId}"]`)).toHaveText(named);
}

const rows = () => ({ requests: count('requests'), residents: count('residents'), visits: count('visits') });

function expectFailure(res: ActionRes, status: number) {
	expect(res.type, res.body.slice(0, 300)).toBe('failure');
	expect(res.actionStatus).toBe(status);
}

// =============================================================================================
// The new request form (community worker)

test.describe('new request: bad input', () => {
	test('(a) wrong ID check digit: message at the field and in the summary, 400, nothing written', async ({ page }) => {
		const badId = idWithWrongCheckDigit();
		const before = rows();
		await login(page, 'worker1');
		await page.goto('/requests/new');
		await fillNewResident(page, 'zh', { 'resident.idNumber': badId });
		await submitNewRequest(page, 'zh');
		await expectFieldError(page, 'resident-idNumber', 'err_resident_id_check_digit');
		// What the worker typed stays in the field, to be corrected.
		await expect(page.locator('#resident-idNumber')).toHaveValue(badId);

		const worker = await as('worker1');
		const res = await worker.action('/requests/new', newResidentForm({ 'resident.idNumber': badId }));
		expectFailure(res, 400);
		expect(errorsOf(res)['resident.idNumber']).toBe('err_resident_id_check_digit');
		expect(rows()).toEqual(before);
	});

	test('(b) empty form: a message per required field, 400, nothing written', async ({ page }) => {
		const before = rows();
		await login(page, 'worker1');
		await page.goto('/requests/new');
		await page.getByLabel(msg('resident_new'), { exact: true }).check();
		await page.getByRole('button', { name: msg('submit_request') }).click();
		await expectFieldError(page, 'resident-name', 'err_required');
		await expectFieldError(page, 'resident-idNumber', 'err_required');
		await expect(page.locator('#services-error')).toHaveText(msg('err_services_min'));
		await expect(page.locator('#consentAgreed-error')).toHaveText(msg('err_consent_required'));
		await expect(page.locator('#consentName-error')).toHaveText(msg('err_required'));

		const worker = await as('worker1');
		for (const form of [{}, { residentMode: 'new' }, { residentMode: 'existing' }] as Form[]) {
			const res = await worker.action('/requests/new', form);
			expectFailure(res, 400);
			expect(errorsOf(res)).toMatchObject({ services: 'err_services_min', consentAgreed: 'err_consent_required' });
		}
		expect(errorsOf(await worker.action('/requests/new', { residentMode: 'existing' })).residentId).toBe('err_resident_required');
		expect(rows()).toEqual(before);
	});

	test('(c) a window that ends before it starts: message on its end time, 400, nothing written', async ({ page }) => {
		const before = rows();
		await login(page, 'worker1');
		await page.goto('/requests/new');
		await fillNewResident(page, 'zh', { 'windows.0.start': '15:00', 'windows.0.end': '14:00' });
		await submitNewRequest(page, 'zh');
		await expectFieldError(page, 'windows-0-end', 'err_window_order');

		const worker = await as('worker1');
		const res = await worker.action('/requests/new', newResidentForm({ 'windows.1.start': '16:00', 'windows.1.end': '16:00' }));
		expectFailure(res, 400);
		expect(errorsOf(res)).toEqual({ 'windows.1.end': 'err_window_order' });
		expect(rows()).toEqual(before);
	});

	test('(f) oversized text: 10,000-character notes and a 100 KB name → 400 err_too_long, nothing written', async () => {
		const worker = await as('worker1');
		const before = rows();
		const notes = await worker.action('/requests/new', newResidentForm({ notes: '备'.repeat(10_000) }));
		expectFailure(notes, 400);
		expect(errorsOf(notes)).toEqual({ notes: 'err_too_long' });
		const name = await worker.action('/requests/new', newResidentForm({ 'resident.name': 'a'.repeat(100_000) }));
		expectFailure(name, 400);
		expect(errorsOf(name)['resident.name']).toBe('err_too_long');
		// Without JavaScript: the page itself shows the translated message.
		const page = await worker.post('/requests/new', newResidentForm({ notes: 'x'.repeat(10_000) }));
		expect(page.status).toBe(400);
		expect(page.body).toContain(msg('err_too_long'));
		expect(rows()).toEqual(before);
	});

	test('(f) an oversized field is not echoed back in full (the form shows what was typed, capped)', async () => {
		const worker = await as('worker1');
		const res = await worker.action('/requests/new', newResidentForm({ 'resident.name': 'a'.repeat(100_000) }));
		expectFailure(res, 400);
		// `echo()` in $lib/server/http/form.ts caps echoed values at 2,000 characters; the request
		// form and formAction() send the raw value back instead.
		expect(res.body.length, 'answer size for a 100 KB field').toBeLessThan(20_000);
	});

	test('(g) in English: the same mistakes get the English messages', async ({ page, context }) => {
		await context.addCookies([{ name: 'doorstep_lang', value: 'en', url: baseURL }]);
		await login(page, 'worker1');
		await page.goto('/requests/new');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await fillNewResident(page, 'en', { 'resident.idNumber': idWithWrongCheckDigit(), 'windows.0.start': '15:00', 'windows.0.end': '14:00' });
		await submitNewRequest(page, 'en');
		await expectFieldError(page, 'resident-idNumber', 'err_resident_id_check_digit', 'en');
		await expectFieldError(page, 'windows-0-end', 'err_window_order', 'en');
		expect(msg('err_resident_id_check_digit', 'en')).not.toEqual(msg('err_resident_id_check_digit', 'zh'));

		// The server renders the English message for a post without JavaScript too.
		const worker = await as('worker1');
		const res = await worker.post('/requests/new', newResidentForm({ notes: 'x'.repeat(600) }), { headers: { cookie: await cookieHeader(worker, 'doorstep_lang=en') } });
		expect(res.status).toBe(400);
		expect(res.body).toContain(msg('err_too_long', 'en'));
		expect(res.body).not.toContain(msg('err_too_long', 'zh'));
	});
});

// =============================================================================================
// Decisions (outlet head)

test.describe('approval: bad input', () => {
	test('(d) the same staff member twice: err_same_staff at the second field, 400, no visit, still submitted', async ({ page }) => {
		const requestId = await submitAs(await as('worker1'));
		const zhDomain = JSON.parse(readFileSync('messages/domain/zh.json', 'utf8')) as Record<string, string>;
		expect(msg('err_same_staff')).toBe(zhDomain.err_same_staff);
		const visits = count('visits');

		await login(page, 'head1');
		await page.goto(`/approvals/${requestId}`);
		const staff1 = user('staff1').display_name;
		await page.selectOption('#approve-leadStaffId', { label: staff1 });
		await page.selectOption('#approve-secondStaffId', { label: staff1 });
		await page.getByRole('button', { name: msg('approve_submit'), exact: true }).click();
		await expect(page.locator('#approve-secondStaffId-error')).toHaveText(zhDomain.err_same_staff);
		await expect(page.locator('#approve-secondStaffId')).toHaveAttribute('aria-invalid', 'true');

		const head = await as('head1');
		const res = await head.action(`/approvals/${requestId}?/approve`, freeSlot(user('staff1').id, user('staff1').id));
		expectFailure(res, 400);
		expect(errorsOf(res)).toEqual({ secondStaffId: 'err_same_staff' });
		expect(count('visits')).toBe(visits);
		expect(visitsOf(requestId)).toEqual([]);
		expect(requestRow(requestId)!.status).toBe('submitted');
	});

	test('(e) approving a rejected request: 409 with the translated reason, still rejected, no visit', async ({ page }) => {
		const requestId = await submitAs(await as('worker1'));
		const head = await as('head1');
		const version = requestRow(requestId)!.version;

		// The head has the request open while it gets rejected (by them, elsewhere).
		await login(page, 'head1');
		await page.goto(`/approvals/${requestId}`);
		const reject = await head.action(`/approvals/${requestId}?/reject`, { reason: '可由家属陪同到网点办理', version: String(version) });
		expect(reject.type, reject.body).toBe('redirect');
		expect(requestRow(requestId)!.status).toBe('rejected');

		// 1. The open page's approve form is stale: the translated conflict message.
		await page.selectOption('#approve-leadStaffId', { label: user('staff1').display_name });
		await page.selectOption('#approve-secondStaffId', { label: user('staff2').display_name });
		await page.getByRole('button', { name: msg('approve_submit'), exact: true }).click();
		await expect(page.locator('[aria-labelledby="error-summary-title"]')).toContainText(msg('err_version_conflict'));

		// 2. Posted without a version: the state machine refuses it (a rejected request is closed).
		const slot = freeSlot(user('staff1').id, user('staff2').id);
		const res = await head.action(`/approvals/${requestId}?/approve`, slot);
		expectFailure(res, 409);
		const reason = errorsOf(res)._form;
		expect(['err_transition_already_closed', 'err_transition_already_decided']).toContain(reason);
		const stale = await head.action(`/approvals/${requestId}?/approve`, { ...slot, version: String(version) });
		expectFailure(stale, 409);
		expect(errorsOf(stale)._form).toBe('err_version_conflict');
		// 3. Without JavaScript: the page answers 409 and shows the reason in Chinese.
		const html = await head.post(`/approvals/${requestId}?/approve`, slot);
		expect(html.status).toBe(409);
		expect(html.body).toContain(msg(reason));

		expect(requestRow(requestId)!.status).toBe('rejected');
		expect(visitsOf(requestId)).toEqual([]);
	});

	test('reject and cancel without a reason, outcome without a choice: 400 with the field message', async () => {
		const head = await as('head1');
		const submitted = await submitAs(await as('worker1'));
		const approvedId = await submitAs(await as('worker1'));
		await approveAs(head, approvedId);
		const before = [requestRow(submitted)!.version, requestRow(approvedId)!.version];
		const cases: [string, Form, Record<string, string>][] = [
			[`/approvals/${submitted}?/reject`, { reason: '' }, { reason: 'err_required' }],
			[`/approvals/${submitted}?/reject`, { reason: ' x ' }, { reason: 'err_too_short' }],
			[`/approvals/${approvedId}?/cancel`, {}, { reason: 'err_required' }],
			[`/approvals/${approvedId}?/outcome`, { outcome: 'teleported' }, { outcome: 'err_choice' }],
			[`/approvals/${approvedId}?/reschedule`, { ...freeSlot(user('staff1').id, user('staff2').id), date: '2026-02-30', reason: '改期' }, { date: 'err_date' }]
		];
		for (const [url, form, errors] of cases) {
			const res = await head.action(url, form);
			expectFailure(res, 400);
			expect(errorsOf(res), url).toEqual(errors);
			for (const code of Object.values(errors)) expect(msg(code)).toBeTruthy();
		}
		expect([requestRow(submitted)!.version, requestRow(approvedId)!.version]).toEqual(before);
	});
});

// =============================================================================================
// Malformed requests: a 4xx, never a 500

test.describe('malformed requests', () => {
	let target = '';
	/** Soft: one test lists every URL that answers wrongly. */
	const refused = (status: number, label: string) => {
		expect.soft(status, label).toBeGreaterThanOrEqual(400);
		expect.soft(status, label).toBeLessThan(500);
	};

	test.beforeAll(async () => {
		target = await submitAs(await as('worker1'));
	});

	test('(h) a JSON body to a form action → 415, nothing written', async () => {
		const before = rows();
		for (const [who, url] of [
			['worker1', '/requests/new'],
			['head1', `/approvals/${target}?/approve`],
			['admin', '/admin/services?/create']
		]) {
			const c = await as(who);
			const res = await c.action(url, {}, { rawBody: JSON.stringify({ reason: 'json', notes: 'x' }), headers: { 'content-type': 'application/json' } });
			refused(res.actionStatus, `${who} ${url}`);
		}
		expect(rows()).toEqual(before);
		expect(requestRow(target)!.status).toBe('submitted');
	});

	test('(h) a text/plain body (a form with enctype="text/plain") → 4xx, not 500', async () => {
		const before = rows();
		for (const [who, url] of [
			['worker1', '/requests/new'],
			['worker1', `/requests/${target}?/cancel`],
			['head1', `/approvals/${target}?/reject`],
			['admin', '/admin/services?/create']
		]) {
			const c = await as(who);
			const res = await c.action(url, {}, { rawBody: 'reason=plain text\r\nnotes=x', headers: { 'content-type': 'text/plain' } });
			refused(res.actionStatus, `${who} ${url}: ${res.body.slice(0, 120)}`);
		}
		expect(rows()).toEqual(before);
		expect(requestRow(target)!.status).toBe('submitted');
	});

	test('(h) an unknown action name, or no action name on a page with named actions → 404/4xx', async () => {
		const head = await as('head1');
		const version = requestRow(target)!.version;
		for (const url of [`/approvals/${target}?/frobnicate`, `/approvals/${target}?/__proto__`, `/approvals/${target}?/constructor`, `/approvals/${target}`]) {
			refused((await head.action(url, { reason: '测试' })).actionStatus, url);
		}
		expect((await head.action(`/approvals/${target}?/frobnicate`, {})).status).toBe(404);
		// A page without actions.
		refused((await head.action('/approvals', {})).actionStatus, 'POST /approvals');
		expect(requestRow(target)!.version).toBe(version);
	});

	test('(h) a 2 MB form body → 413, nothing written', async () => {
		const before = rows();
		const worker = await as('worker1');
		const res = await worker.action('/requests/new', newResidentForm({ notes: 'x'.repeat(2 * 1024 * 1024) }));
		expect(res.status).toBe(413);
		const head = await as('head1');
		refused((await head.action(`/approvals/${target}?/reject`, { reason: 'y'.repeat(2 * 1024 * 1024) })).actionStatus, 'reject 2 MB');
		expect(rows()).toEqual(before);
		expect(requestRow(target)!.status).toBe('submitted');
	});

	test('(h) odd shapes: broken percent-encoding, arrays where text is expected, multipart → 400', async () => {
		const worker = await as('worker1');
		const before = rows();
		const bodies: [string, string][] = [
			['%E0%A4%A=1&%%%&residentMode=new', 'application/x-www-form-urlencoded'],
			[new URLSearchParams([['resident.name', 'a'], ['resident.name', 'b'], ['windows.0', 'x'], ['services', '']]).toString(), 'application/x-www-form-urlencoded'],
			['windows=notalist&resident=notanobject&consentAgreed=maybe', 'application/x-www-form-urlencoded']
		];
		for (const [body, type] of bodies) {
			const res = await worker.action('/requests/new', {}, { rawBody: body, headers: { 'content-type': type } });
			expect(res.actionStatus, body.slice(0, 60)).toBe(400);
		}
		const multipart = await worker.ctx.post('/requests/new', {
			maxRedirects: 0,
			multipart: { residentMode: 'new', notes: 'z'.repeat(600) },
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: baseURL }
		});
		expect(JSON.parse(await multipart.text())).toMatchObject({ type: 'failure', status: 400 });
		expect(rows()).toEqual(before);
	});

	test('(h) 4xx answers of the framework (413, 415, 404) say what went wrong, not "server error"', async () => {
		const worker = await as('worker1');
		const tooBig = await worker.action('/requests/new', { notes: 'x'.repeat(2 * 1024 * 1024) });
		const json = await worker.action('/requests/new', {}, { rawBody: '{}', headers: { 'content-type': 'application/json' } });
		const unknown = await worker.action('/requests/new?/frobnicate', {});
		for (const res of [tooBig, json, unknown]) {
			refused(res.actionStatus, res.body);
			expect.soft(res.message, `${res.status}: ${res.body}`).not.toBe('err_server');
		}
	});

	// Runs last on purpose: if the server is vulnerable, it stays broken until restarted.
	test('(h) a field named __proto__.x cannot change the server: 400, and the server still answers', async () => {
		const worker = await as('worker1');
		const anonymous = await as('anonymous');
		expect((await anonymous.get('/login')).status).toBe(200);
		const res = await worker.action('/requests/new', { '__proto__.e2eProbe': 'polluted', 'resident.__proto__.e2eProbe2': 'polluted' });
		expect(res.actionStatus, res.body.slice(0, 200)).toBe(400);
		// Object.prototype of the server must be untouched: pages still render.
		expect((await anonymous.get('/login')).status, 'GET /login after the post').toBe(200);
		expect((await worker.get('/requests')).status, 'GET /requests after the post').toBe(200);
	});
});
