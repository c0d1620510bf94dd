import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { serverDb } from './helpers';

/*
 * Tools of the hostile-input suite: a raw HTTP/1.1 client (node:net, so paths and headers go out
 * exactly as written, `%ff`, tabs and all), the list of every page, form action and endpoint
 * read from src/routes, a digest of every table of the server's database, the server process's
 * memory, and a seeded random generator.
 */

// ---------------------------------------------------------------------------------------------
// Raw HTTP

export interface RawResponse {
	status: number; // 0: no answer (connection refused, reset or timed out)
	headers: Record<string, string[]>;
	body: string;
}

export interface RawRequest {
	method: string;
	target: string; // the request target exactly as sent
	headers?: Record<string, string>;
	body?: Buffer | string;
}

const MAX_KEPT_BODY = 256 * 1024;

/**
 * One request on its own connection; the answer's status, headers and (up to 256 KB of) body.
 * Large bodies go through node:http with `Expect: 100-continue`, as curl sends them: the body
 * follows the server's 100 Continue, and an early refusal (401, 413) is read before any reset.
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
	const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
	return body.length > 64 * 1024 ? streamedRequest(port, req, body, timeoutMs) : socketRequest(port, req, body, timeoutMs);
}

function streamedRequest(port: number, req: RawRequest, body: Buffer, timeoutMs: number): Promise<RawResponse> {
	return new Promise((resolve) => {
		let answered: RawResponse | null = null;
		const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.target, headers: { ...(req.headers ?? {}), 'content-length': String(body.length), expect: '100-continue' }, agent: false, timeout: timeoutMs }, (res) => {
			const chunks: Buffer[] = [];
			const headers: Record<string, string[]> = {};
			for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v : [String(v)];
			answered = { status: res.statusCode ?? 0, headers, body: '' };
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				resolve({ ...answered!, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_KEPT_BODY) });
				r.destroy();
			});
			res.on('error', () => resolve({ ...answered!, body: Buffer.concat(chunks).toString('utf8') }));
		});
		r.on('timeout', () => r.destroy());
		// Sending stops when the server refuses and closes: the answer, if it came, counts.
		r.on('error', () => resolve(answered ?? { status: 0, headers: {}, body: '' }));
		r.on('continue', () => r.end(body));
	});
}

function socketRequest(port: number, req: RawRequest, body: Buffer, timeoutMs: number): Promise<RawResponse> {
	return new Promise((resolve) => {
		const headers: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...(req.headers ?? {}) };
		if (body.length || req.method !== 'GET') headers['content-length'] ??= String(body.length);
		const head = `${req.method} ${req.target} HTTP/1.1\r\n${Object.entries(headers)
			.map(([k, v]) => `${k}: ${v}`)
			.join('\r\n')}\r\n\r\n`;
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			socket.destroy();
			resolve(parseResponse(Buffer.concat(chunks)));
		};
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.write(head, 'latin1');
			if (body.length) socket.write(body);
		});
		socket.setTimeout(timeoutMs, finish);
		socket.on('data', (chunk: Buffer) => {
			if (size < MAX_KEPT_BODY + 16_384) chunks.push(chunk);
			size += chunk.length;
		});
		socket.on('end', finish);
		socket.on('close', finish);
		socket.on('error', finish);
	});
}

function parseResponse(raw: Buffer): RawResponse {
	const text = raw.toString('utf8');
	const end = text.indexOf('\r\n\r\n');
	const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
	if (!match || end < 0) return { status: 0, headers: {}, body: text };
	const headers: Record<string, string[]> = {};
	for (const line of text.slice(0, end).split('\r\n').slice(1)) {
		const i = line.indexOf(':');
		if (i > 0) (headers[line.slice(0, i).trim().toLowerCase()] ??= []).push(line.slice(i + 1).trim());
	}
	return { status: Number(match[1]), headers, body: text.slice(end + 4, end + 4 + MAX_KEPT_BODY) };
}

/** Signs in with the form action and returns the Cookie header of the new session. */
export async function signIn(port: number, username: string, password: string): Promise<string> {
	const res = await rawRequest(port, {
		method: 'POST',
		target: '/login',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}`, accept: 'application/json', 'x-sveltekit-action': 'true' },
		body: new URLSearchParams({ username, password }).toString()
	});
	const cookies = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).filter((c) => !c.endsWith('='));
	if (!res.body.includes('"redirect"') || !cookies.length) throw new Error(`sign-in of ${username} failed: ${res.status} ${res.body.slice(0, 200)}`);
	return cookies.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Routes, read from src/routes

export interface RouteTarget {
	kind: 'page' | 'action' | 'endpoint';
	method: string;
	/** Route id with groups removed, e.g. `/approvals/[id]`. */
	route: string;
	/** `?/publish` for a named action, '' otherwise. */
	action: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every page (GET), form action (POST) and endpoint method under `dir`, found from the files. */
export function enumerateRoutes(dir = path.resolve('src/routes')): RouteTarget[] {
	const out: RouteTarget[] = [];
	const walk = (folder: string, segments: string[]) => {
		const files = readdirSync(folder, { withFileTypes: true });
		const route = '/' + segments.filter((s) => !/^\(.*\)$/.test(s)).join('/');
		const names = new Set(files.filter((f) => f.isFile()).map((f) => f.name));
		if (names.has('+page.svelte')) out.push({ kind: 'page', method: 'GET', route, action: '' });
		const pageServer = ['+page.server.ts', '+page.server.js'].find((n) => names.has(n));
		if (pageServer) {
			for (const name of actionNames(readFileSync(path.join(folder, pageServer), 'utf8'))) {
				out.push({ kind: 'action', method: 'POST', route, action: name === 'default' ? '' : `?/${name}` });
			}
		}
		const endpoint = ['+server.ts', '+server.js'].find((n) => names.has(n));
		if (endpoint) {
			const source = readFileSync(path.join(folder, endpoint), 'utf8');
			for (const method of METHODS) {
				if (new RegExp(`export\\s+(const|async\\s+function|function)\\s+${method}\\b`).test(source)) out.push({ kind: 'endpoint', method, route, action: '' });
			}
		}
		for (const f of files) if (f.isDirectory()) walk(path.join(folder, f.name), [...segments, f.name]);
	};
	walk(dir, []);
	return out;
}

/** The keys of `export const actions = { … }`: the names at the object's first level. */
export function actionNames(source: string): string[] {
	const start = source.search(/export\s+const\s+actions\b[^=]*=\s*\{/);
	if (start < 0) return [];
	const open = source.indexOf('{', source.indexOf('=', start));
	const names: string[] = [];
	let depth = 0;
	let token = '';
	for (let i = open; i < source.length; i++) {
		const c = source[i];
		if (c === '{' || c === '(' || c === '[') depth++;
		else if (c === '}' || c === ')' || c === ']') {
			depth--;
			if (depth === 0) break;
		} else if (depth === 1) {
			if (/[\w$]/.test(c)) token += c;
			else {
				if (c === ':' && token && !names.includes(token)) names.push(token);
				if (!/\s/.test(c)) token = '';
			}
		}
	}
	return names;
}

/** The route with each `[param]` replaced. */
export function fillRoute(route: string, value: (param: string) => string): string {
	return route.replace(/\[(?:\.\.\.)?(\w+)(?:=\w+)?\]/g, (_, name: string) => value(name));
}

// ---------------------------------------------------------------------------------------------
// The database and the server process

/** Columns that record when something was last used (touched by any signed-in request). */
const VOLATILE = new Set(['sessions.last_seen_at', 'devices.last_seen_at']);
/** Tables that count requests by design: the shared rate limits' buckets (issue 12). */
const COUNTERS = new Set(['rate_limits']);

/** A SHA-256 over every row of every table (volatile "last seen" columns left out), per table. */
export function digestTables(): Record<string, string> {
	const db = serverDb();
	try {
		const tables = db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as { name: string }[];
		const out: Record<string, string> = {};
		for (const { name } of tables) {
			if (COUNTERS.has(name)) continue;
			const rows = db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
			const lines = rows
				.map((row) =>
					JSON.stringify(
						Object.entries(row)
							.filter(([k]) => !VOLATILE.has(`${name}.${k}`))
							.map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v])
					)
				)
				.sort();
			out[name] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
		}
		return out;
	} finally {
		db.close();
	}
}

/** Resident names, phones and ID numbers, to look for in error bodies. */
export function personalValues(): string[] {
	const db = serverDb();
	try {
		const rows = db.prepare(`select name, phone, id_number, contact_phone from residents`).all() as Record<string, string | null>[];
		return [...new Set(rows.flatMap((r) => Object.values(r)).filter((v): v is string => typeof v === 'string' && v.length >= 2))];
	} finally {
		db.close();
	}
}

/** The e2e server's resident memory in bytes (scripts/e2e-server.js writes its pid). */
export function serverRss(port: number): number | null {
	const file = path.resolve(process.env.E2E_LOG_DIR ?? `.tmp/e2e-logs-${port}`, `server-${port}.pid`);
	if (!existsSync(file)) return null;
	const status = `/proc/${readFileSync(file, 'utf8').trim()}/status`;
	if (!existsSync(status)) return null;
	const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
	return kb ? Number(kb[1]) * 1024 : null;
}

/**
 * The e2e server's memory after a full collection (scripts/e2e-server.js answers SIGUSR2 by
 * collecting and writing process.memoryUsage()): `live` is what its JavaScript holds on to (heap
 * in use + memory outside the heap held by objects, e.g. Buffers), `rss` what the OS counts. Null
 * where that server is not found.
 */
export async function serverMemoryAfterGc(port: number): Promise<{ live: number; rss: number } | null> {
	const dir = path.resolve(process.env.E2E_LOG_DIR ?? `.tmp/e2e-logs-${port}`);
	const pidFile = path.join(dir, `server-${port}.pid`);
	const memFile = path.join(dir, `server-${port}.mem`);
	if (!existsSync(pidFile)) return null;
	rmSync(memFile, { force: true });
	try {
		process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGUSR2');
	} catch {
		return null;
	}
	for (let waited = 0; waited < 10_000; waited += 100) {
		const text = existsSync(memFile) ? readFileSync(memFile, 'utf8').trim() : '';
		if (text) {
			const usage = JSON.parse(text) as { rss: number; heapUsed: number; external: number };
			return { live: usage.heapUsed + usage.external, rss: usage.rss };
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

// mulberry32, the demo seed's generator: reproducible from a 32-bit seed.
export { seededRandom } from '../../src/lib/server/db/seed-data';
