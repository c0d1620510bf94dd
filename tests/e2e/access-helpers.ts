import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import { parse as devalueParse } from 'devalue';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_PASSWORD, serverDb, shanghaiDate } from './helpers';

/*
 * Helpers of the access-control and bad-input suites: signed-in HTTP clients per demo user
 * (no browser), form-action posts with SvelteKit's JSON protocol, checks that run on EVERY
 * response (no full resident ID number, no personal data outside the viewer's scope), the demo
 * world read from the server's SQLite file, and the translated messages.
 */

// ---------------------------------------------------------------------------------------------
// Messages

type Messages = Record<string, string>;
const messageCache = new Map<string, Messages>();

/** All messages of a language, merged from messages/{lang}.json and messages/<area>/{lang}.json. */
export function messages(lang: 'zh' | 'en'): Messages {
	let all = messageCache.get(lang);
	if (!all) {
		all = {};
		for (const dir of ['', 'domain', 'approvals', 'field', 'admin']) {
			const file = path.resolve('messages', dir, `${lang}.json`);
			Object.assign(all, JSON.parse(readFileSync(file, 'utf8')) as Messages);
		}
		messageCache.set(lang, all);
	}
	return all;
}

/** The text of a message code; fails the test when the code has no translation. */
export function msg(code: string, lang: 'zh' | 'en' = 'zh', params: Record<string, string | number> = {}): string {
	const text = messages(lang)[code];
	expect(text, `message ${code} (${lang}) exists`).toBeTruthy();
	return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

// ---------------------------------------------------------------------------------------------
// The demo world, read from the server's database

export const FULL_ID_RE = /\b\d{17}[\dXx]\b/;

export type Role = 'community_worker' | 'outlet_head' | 'field_staff' | 'admin';
export interface DbUser {
	id: string;
	username: string;
	role: Role;
	outlet_id: string | null;
	community_id: string | null;
	display_name: string;
}
export interface DbResident {
	id: string;
	name: string;
	phone: string;
	id_number: string;
	address: string;
	community_id: string;
	outlet_id: string;
	contact_name: string | null;
	contact_phone: string | null;
}
export interface DbRequest {
	id: string;
	ref: string;
	status: string;
	version: number;
	community_id: string;
	outlet_id: string;
	resident_id: string;
	community: string;
	outlet: string;
}
export interface DbVisit {
	id: string;
	request_id: string;
	outlet_id: string;
	date: string;
	status: string;
	version: number;
	lead_staff_id: string;
	second_staff_id: string;
}

export function dbAll<T>(sql: string, ...params: unknown[]): T[] {
	const db = serverDb();
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}

export function dbGet<T>(sql: string, ...params: unknown[]): T | undefined {
	return dbAll<T>(sql, ...params)[0];
}

export const user = (username: string): DbUser => {
	const u = dbGet<DbUser>('select id, username, role, outlet_id, community_id, display_name from users where username = ?', username);
	if (!u) throw new Error(`no user ${username}`);
	return u;
};

export const residents = (): DbResident[] =>
	dbAll<DbResident>(
		`select r.id, r.name, r.phone, r.id_number, r.address, r.community_id, c.outlet_id, r.contact_name, r.contact_phone
		 from residents r join communities c on c.id = r.community_id`
	);

export const requestRow = (id: string): DbRequest | undefined =>
	dbGet<DbRequest>(
		`select q.id, q.ref, q.status, q.version, q.community_id, q.outlet_id, q.resident_id, c.name as community, o.name as outlet
		 from requests q join communities c on c.id = q.community_id join outlets o on o.id = q.outlet_id where q.id = ?`,
		id
	);

export const requestsWhere = (where: string, ...params: unknown[]): DbRequest[] =>
	dbAll<DbRequest>(
		`select q.id, q.ref, q.status, q.version, q.community_id, q.outlet_id, q.resident_id, c.name as community, o.name as outlet
		 from requests q join communities c on c.id = q.community_id join outlets o on o.id = q.outlet_id where ${where}
		 order by q.created_at`,
		...params
	);

export const visitsOf = (requestId: string): DbVisit[] =>
	dbAll<DbVisit>('select id, request_id, outlet_id, date, status, version, lead_staff_id, second_staff_id from visits where request_id = ? order by created_at', requestId);

export const visitRow = (id: string): DbVisit | undefined =>
	dbGet<DbVisit>('select id, request_id, outlet_id, date, status, version, lead_staff_id, second_staff_id from visits where id = ?', id);

export const residentRow = (id: string): DbResident | undefined => residents().find((r) => r.id === id);

export function auditCount(action: string, entityId?: string): number {
	const row = entityId
		? dbGet<{ n: number }>('select count(*) as n from audit_log where action = ? and entity_id = ?', action, entityId)
		: dbGet<{ n: number }>('select count(*) as n from audit_log where action = ?', action);
	return row?.n ?? 0;
}

/** A snapshot of what a refused write must not change. */
export function snapshot(requestId: string) {
	const r = requestRow(requestId);
	return { status: r?.status, version: r?.version, visits: visitsOf(requestId).map((v) => `${v.id}:${v.status}:${v.version}`) };
}

/**
 * Personal data a user must never receive: phones, ID numbers and full addresses of residents
 * outside their scope, and those residents' names unless an in-scope resident (or contact) has
 * the same name. Admins see every resident but never a full phone number.
 */
export function secretsHiddenFrom(u: DbUser): string[] {
	const all = residents();
	if (u.role === 'admin') return all.flatMap((r) => [r.phone, r.contact_phone ?? '']).filter(Boolean);
	const inScope = (r: DbResident) => (u.role === 'community_worker' ? r.community_id === u.community_id : r.outlet_id === u.outlet_id);
	const visibleNames = new Set(all.filter(inScope).flatMap((r) => [r.name, r.contact_name ?? '']));
	// Staff and head display names are shown legitimately; a resident could share one.
	for (const s of dbAll<{ display_name: string }>('select display_name from users')) visibleNames.add(s.display_name);
	return all
		.filter((r) => !inScope(r))
		.flatMap((r) => [r.phone, r.id_number, r.address, r.contact_phone ?? '', visibleNames.has(r.name) ? '' : r.name])
		.filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// HTTP clients

export interface Res {
	status: number;
	location: string | null;
	body: string;
	contentType: string;
}

/** A form action answered with SvelteKit's JSON protocol (`x-sveltekit-action: true`). */
export interface ActionRes extends Res {
	/** `success` | `failure` | `redirect` | `error`, or null when the answer was not action JSON (a hook's error). */
	type: string | null;
	/** The action's status (failure/success/redirect) or the HTTP status. */
	actionStatus: number;
	data: Record<string, unknown> | null;
	/** Redirect target of a `redirect` answer (or of an HTTP 30x). */
	target: string | null;
	message: string | null;
}

export type Form = Record<string, string | string[]>;

function toBody(form: Form): string {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
	return params.toString();
}

export interface CheckOptions {
	/** Full ID numbers this response may legitimately contain (e.g. one the request itself sent). */
	allowIds?: string[];
}

/**
 * One user's HTTP session against the real server. Every response it gets is checked: no full
 * resident ID number anywhere, none of the personal data hidden from this user.
 */
export class Client {
	secrets: string[] = [];

	constructor(
		readonly username: string,
		readonly ctx: APIRequestContext,
		readonly baseURL: string
	) {}

	/** `sent`: values this request itself posted; the server may echo them back into the form. */
	check(res: Res, label: string, opts: CheckOptions = {}, sent: string[] = []) {
		let body = res.body;
		for (const s of [...(opts.allowIds ?? []), ...sent].filter((x) => x.length >= 2)) body = body.replaceAll(s, '');
		const id = body.match(FULL_ID_RE)?.[0];
		expect(id, `${this.username} ${label}: a full 18-digit ID number in the response`).toBeUndefined();
		const leaked = this.secrets.find((s) => body.includes(s));
		expect(leaked, `${this.username} ${label}: personal data outside the user's scope in the response`).toBeUndefined();
	}

	private async wrap(r: APIResponse, label: string, opts?: CheckOptions, form: Form = {}): Promise<Res> {
		const res = { status: r.status(), location: r.headers()['location'] ?? null, body: await r.text(), contentType: r.headers()['content-type'] ?? '' };
		this.check(res, label, opts, Object.values(form).flat());
		return res;
	}

	async get(url: string, opts?: CheckOptions & { headers?: Record<string, string> }): Promise<Res> {
		return this.wrap(await this.ctx.get(url, { maxRedirects: 0, headers: opts?.headers }), `GET ${url}`, opts);
	}

	/** A plain POST (endpoints, or a form action the way a browser without JavaScript posts it). */
	async post(url: string, form: Form = {}, opts?: CheckOptions & { headers?: Record<string, string> }): Promise<Res> {
		const r = await this.ctx.post(url, {
			maxRedirects: 0,
			data: toBody(form),
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: this.baseURL, ...opts?.headers }
		});
		return this.wrap(r, `POST ${url}`, opts, form);
	}

	/** A form action as `use:enhance` posts it: the answer is `{ type, status, data }` JSON. */
	async action(url: string, form: Form = {}, opts?: CheckOptions & { headers?: Record<string, string>; rawBody?: string | Buffer }): Promise<ActionRes> {
		const r = await this.ctx.post(url, {
			maxRedirects: 0,
			data: opts?.rawBody ?? toBody(form),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				origin: this.baseURL,
				...opts?.headers
			}
		});
		return parseAction(await this.wrap(r, `POST ${url}`, opts, form));
	}
}

export function parseAction(res: Res): ActionRes {
	let json: Record<string, unknown> | null = null;
	try {
		json = JSON.parse(res.body) as Record<string, unknown>;
	} catch {
		/* not JSON: an HTML page or an empty redirect */
	}
	const type = json && typeof json.type === 'string' ? json.type : null;
	let data: Record<string, unknown> | null = null;
	if (type && typeof json!.data === 'string') data = devalueParse(json!.data as string) as Record<string, unknown>;
	const error = json && typeof json.error === 'object' && json.error ? (json.error as { message?: string }) : null;
	return {
		...res,
		type,
		actionStatus: type && typeof json!.status === 'number' ? (json!.status as number) : res.status,
		data,
		target: type === 'redirect' ? String(json!.location) : res.location,
		message: (error?.message ?? (json && typeof json.message === 'string' ? json.message : null)) || null
	};
}

/** The error codes of a failed action, by field (`_form` for the whole form). */
export function errorsOf(res: ActionRes): Record<string, string> {
	return ((res.data?.errors ?? {}) as Record<string, string>) || {};
}

const clients = new Map<string, Promise<Client>>();

export const HOME: Record<Role, string> = { community_worker: '/requests', outlet_head: '/approvals', field_staff: '/field', admin: '/admin' };

/** A signed-in client per demo user (signed in once per worker process), or `anonymous`. */
export function clientFor(factory: { newContext: (o: { baseURL: string }) => Promise<APIRequestContext> }, baseURL: string, username: string): Promise<Client> {
	let c = clients.get(username);
	if (!c) {
		c = (async () => {
			const ctx = await factory.newContext({ baseURL });
			const client = new Client(username, ctx, baseURL);
			if (username !== 'anonymous') {
				const r = await ctx.post('/login', {
					maxRedirects: 0,
					form: { username, password: DEMO_PASSWORD },
					headers: { origin: baseURL, accept: 'text/html' }
				});
				expect(r.status(), `sign in as ${username}`).toBe(303);
				expect(r.headers()['location']).toBe(HOME[user(username).role]);
				client.secrets = secretsHiddenFrom(user(username));
			}
			return client;
		})();
		clients.set(username, c);
		c.catch(() => clients.delete(username));
	}
	return c;
}

export async function disposeClients() {
	for (const c of clients.values()) await (await c).ctx.dispose().catch(() => {});
	clients.clear();
}

// ---------------------------------------------------------------------------------------------
// Making data through the real server

/**
 * A visit slot no other visit uses: an evening (demo visits are daytime) on the first day from
 * 40 days ahead on which neither staff member has any visit yet.
 */
export function freeSlot(leadStaffId: string, secondStaffId: string) {
	const busy = new Set(
		dbAll<{ date: string }>(
			'select date from visits where lead_staff_id in (?, ?) or second_staff_id in (?, ?)',
			leadStaffId,
			secondStaffId,
			leadStaffId,
			secondStaffId
		).map((v) => v.date)
	);
	let day = 40;
	while (busy.has(shanghaiDate(day))) day++;
	return { date: shanghaiDate(day), start: '18:00', end: '19:00', leadStaffId, secondStaffId };
}

/** The form a worker posts to create a request for an existing resident of their community. */
export function newRequestForm(residentId: string, residentName: string, extra: Form = {}): Form {
	return {
		residentMode: 'existing',
		residentId,
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
		consentName: residentName,
		consentAgreed: 'true',
		...extra
	};
}

/** worker submits a request for a resident of their community; returns the new request's id. */
export async function submitAs(worker: Client, form?: Form): Promise<string> {
	const w = user(worker.username);
	const resident = residents().find((r) => r.community_id === w.community_id)!;
	const res = await worker.action('/requests/new', form ?? newRequestForm(resident.id, resident.name));
	expect(res.type, `request created: ${res.body.slice(0, 300)}`).toBe('redirect');
	const id = /\/requests\/([^/?]+)\?created=1/.exec(res.target ?? '')?.[1];
	expect(id).toBeTruthy();
	return id!;
}

/** head approves a submitted request of their outlet with two of its field staff. */
export async function approveAs(head: Client, requestId: string, lead = 'staff1', second = 'staff2') {
	const res = await head.action(`/approvals/${requestId}?/approve`, freeSlot(user(lead).id, user(second).id));
	expect(res.type, `approved: ${res.body.slice(0, 300)}`).toBe('redirect');
	return visitsOf(requestId).find((v) => v.status === 'scheduled')!;
}
