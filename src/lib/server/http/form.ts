import { error } from '@sveltejs/kit';
import { drainBody } from './drain';

/** Names that would reach Object.prototype through a dotted path: refused, never followed. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * What any form of ours can hold, checked on the names before anything is built: a field name
 * `services.4294967294` would otherwise make a sparse array the schema then walks for minutes.
 * `maxListLength` bounds both numeric indices (`windows.9` is the 10th row) and how often one
 * name may repeat (checkboxes); each form passes what its schema allows (default 100).
 */
export interface FormLimits {
	maxListLength: number;
	maxFields: number;
	maxNameLength: number;
	maxDepth: number;
}
export const FORM_LIMITS: FormLimits = { maxListLength: 100, maxFields: 1000, maxNameLength: 200, maxDepth: 6 };

/** A form no page of ours sends; `code` is the translated message the refusal carries. */
export class BadFormError extends Error {
	constructor(readonly code: 'err_bad_form' | 'hardening_err_form_too_big' = 'err_bad_form') {
		super(code);
	}
}

const INDEX = /^\d+$/;

/**
 * Turns FormData into a plain object for the valibot schemas: `a.b` nests, `windows.0.start`
 * builds arrays, a name that occurs several times (checkboxes) becomes an array. Empty optional
 * fields arrive as '' and the schemas decide what that means. Files are ignored here. Names
 * beyond `limits` throw BadFormError before any array is made.
 */
export function formToObject(form: FormData, limits: Partial<FormLimits> = {}): Record<string, unknown> {
	const { maxListLength, maxFields, maxNameLength, maxDepth } = { ...FORM_LIMITS, ...limits };
	const out: Record<string, unknown> = {};
	const seen = new Map<string, number>();
	let fields = 0;
	for (const [name] of form) {
		if (++fields > maxFields) throw new BadFormError('hardening_err_form_too_big');
		if (name.length > maxNameLength) throw new BadFormError();
		const count = (seen.get(name) ?? 0) + 1;
		if (count > maxListLength) throw new BadFormError('hardening_err_form_too_big');
		seen.set(name, count);
	}
	for (const [name, count] of seen) {
		const multi = name.endsWith('[]');
		const key = multi ? name.slice(0, -2) : name;
		const parts = key.split('.');
		if (parts.length > maxDepth || parts.some((part) => FORBIDDEN_SEGMENTS.has(part))) throw new BadFormError();
		// An index is a list position: no larger than the list the form may hold, no `007`.
		for (let i = 1; i < parts.length; i++) {
			if (!INDEX.test(parts[i])) continue;
			if (parts[i].length > 1 && parts[i].startsWith('0')) throw new BadFormError();
			if (Number(parts[i]) >= maxListLength) throw new BadFormError('hardening_err_form_too_big');
		}
		const values = form.getAll(name).filter((v): v is string => typeof v === 'string');
		setPath(out, parts, multi || count > 1 ? values : values[0] ?? '');
	}
	return out;
}

function setPath(target: Record<string, unknown>, parts: string[], value: unknown): void {
	let node: Record<string, unknown> | unknown[] = target;
	for (let i = 0; i < parts.length - 1; i++) {
		const part = parts[i];
		const nextIsIndex = INDEX.test(parts[i + 1]);
		const container = (node as Record<string, unknown>)[part];
		if (container === undefined || typeof container !== 'object' || container === null) {
			(node as Record<string, unknown>)[part] = nextIsIndex ? [] : {};
		}
		node = (node as Record<string, unknown>)[part] as Record<string, unknown>;
	}
	(node as Record<string, unknown>)[parts[parts.length - 1]] = value;
}

/** Cap on any single text field we echo back into a form, so a huge paste cannot bloat a page. */
export function echo(value: unknown, max = 2000): string {
	if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(',').slice(0, max); // `name[]` fields
	return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The record version a form was built from (optimistic locking); undefined when absent. */
export function formVersion(raw: Record<string, unknown>): number | undefined {
	const n = Number(raw.version);
	return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The largest form body a page accepts. The server's own limit (BODY_SIZE_LIMIT) is higher
 * because photo uploads need it; no form of ours comes near this.
 */
export const FORM_MAX_BYTES = 512 * 1024;

export type FormRead = { ok: true; raw: Record<string, unknown> } | { ok: false; status: 400 | 413; code: string };

/**
 * Reads a form post as an object. A body that is not a form (JSON, text/plain, broken
 * multipart), a field name that tries to reach an object's prototype or a list beyond `limits`
 * is a 400, never a 500; a body over FORM_MAX_BYTES is a 413.
 */
export async function tryReadForm(request: Request, limits: Partial<FormLimits> = {}): Promise<FormRead> {
	let form: FormData;
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > FORM_MAX_BYTES) {
		await drainBody(request);
		return { ok: false, status: 413, code: 'err_too_large' };
	}
	try {
		// Without a declared length (chunked), measure what actually came.
		const body = Number.isFinite(declared) ? request : await boundedCopy(request);
		form = await body.formData();
	} catch (err) {
		// SvelteKit's body limit (BODY_SIZE_LIMIT) surfaces here as a 413: keep that status.
		if (err && typeof err === 'object' && 'status' in err && err.status === 413) {
			await drainBody(request);
			return { ok: false, status: 413, code: 'err_too_large' };
		}
		return { ok: false, status: 400, code: 'err_bad_form' };
	}
	try {
		return { ok: true, raw: formToObject(form, limits) };
	} catch (err) {
		if (err instanceof BadFormError) return { ok: false, status: 400, code: err.code };
		throw err;
	}
}

/** tryReadForm, with a refusal thrown as SvelteKit's error(status, { message: code }). */
export async function readForm(request: Request, limits: Partial<FormLimits> = {}): Promise<Record<string, unknown>> {
	const read = await tryReadForm(request, limits);
	if (!read.ok) error(read.status, { message: read.code });
	return read.raw;
}

/** What a failed form shows again: the user's input, each text capped (see `echo`). */
export function echoValues(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return echo(value);
	if (depth > 4) return undefined;
	if (Array.isArray(value)) return value.slice(0, 20).map((v) => echoValues(v, depth + 1));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).slice(0, 60).map(([k, v]) => [k, echoValues(v, depth + 1)]));
	}
	return value;
}

async function boundedCopy(request: Request): Promise<Request> {
	const bytes = await request.arrayBuffer();
	if (bytes.byteLength > FORM_MAX_BYTES) throw Object.assign(new Error('form too large'), { status: 413 });
	return new Request(request.url, { method: request.method, headers: request.headers, body: bytes });
}
