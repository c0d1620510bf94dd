import { error } from '@sveltejs/kit';
import { drainBody } from './drain';

/**
 * Turns FormData into a plain object for the valibot schemas: `a.b` nests, `windows.0.start`
 * builds arrays, a name that occurs several times (checkboxes) becomes an array. Empty optional
 * fields arrive as '' and the schemas decide what that means. Files are ignored here.
 */
/** Names that would reach Object.prototype through a dotted path: refused, never followed. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export class BadFormError extends Error {
	constructor() {
		super('err_bad_form');
	}
}

export function formToObject(form: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const seen = new Map<string, number>();
	for (const [name] of form) seen.set(name, (seen.get(name) ?? 0) + 1);
	for (const [name, count] of seen) {
		const values = form.getAll(name).filter((v): v is string => typeof v === 'string');
		const multi = name.endsWith('[]');
		const key = multi ? name.slice(0, -2) : name;
		const parts = key.split('.');
		if (parts.some((part) => FORBIDDEN_SEGMENTS.has(part))) throw new BadFormError();
		setPath(out, parts, multi || count > 1 ? values : values[0] ?? '');
	}
	return out;
}

function setPath(target: Record<string, unknown>, parts: string[], value: unknown): void {
	let node: Record<string, unknown> | unknown[] = target;
	for (let i = 0; i < parts.length - 1; i++) {
		const part = parts[i];
		const nextIsIndex = /^\d+$/.test(parts[i + 1]);
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

/**
 * Reads a form post as an object. A body that is not a form (JSON, text/plain, broken
 * multipart) or a field name that tries to reach an object's prototype is a 400, never a 500;
 * a body over FORM_MAX_BYTES is a 413.
 */
export async function readForm(request: Request): Promise<Record<string, unknown>> {
	let form: FormData;
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > FORM_MAX_BYTES) {
		await drainBody(request);
		error(413, { message: 'err_too_large' });
	}
	try {
		// Without a declared length (chunked), measure what actually came.
		const body = Number.isFinite(declared) ? request : await boundedCopy(request);
		form = await body.formData();
	} catch (err) {
		// SvelteKit's body limit (BODY_SIZE_LIMIT) surfaces here as a 413: keep that status.
		if (err && typeof err === 'object' && 'status' in err && err.status === 413) {
			await drainBody(request);
			error(413, { message: 'err_too_large' });
		}
		error(400, { message: 'err_bad_form' });
	}
	try {
		return formToObject(form);
	} catch (err) {
		if (err instanceof BadFormError) error(400, { message: 'err_bad_form' });
		throw err;
	}
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
