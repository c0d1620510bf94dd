import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { fieldErrors } from '$lib/domain/schemas';
import { getDb } from '$lib/server/db';
import { echo, tryReadForm } from '$lib/server/http/form';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { AdminError } from './errors';

/**
 * The one shape every admin form action returns, success or failure, so a page can type `form`
 * once: which action answered, which record it was about, the typed values to show again, the
 * errors by field (message codes) and, on success, a notice code.
 */
export interface AdminFormResult {
	action: string;
	id: string;
	values: Record<string, string>;
	errors: Record<string, string>;
	notice: string | null;
}

export interface AdminActionContext<T> {
	db: Db;
	actor: SessionUser;
	input: T;
	/** The record the form edits (`id` field: user id, outlet id, service code, original date). */
	id: string;
}

/** Fields never sent back to the browser, even on a failed submit. */
const SECRET_FIELDS = new Set(['password']);

function echoValues(raw: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(raw)) if (!SECRET_FIELDS.has(key)) out[key] = echo(value, 500);
	return out;
}

/**
 * Runs one admin form action: parse the form with `schema`, run the use case, and answer with
 * `fail(4xx, …)` carrying message codes for bad input or a refusal — never a 500 for what the
 * user typed. The caller has already checked the role (`requireRole`) and passes the actor in.
 */
export async function adminAction<S extends v.GenericSchema>(
	event: RequestEvent,
	actor: SessionUser,
	action: string,
	schema: S,
	run: (ctx: AdminActionContext<v.InferOutput<S>>) => Promise<string>
): Promise<AdminFormResult | ActionFailure<AdminFormResult>> {
	const read = await tryReadForm(event.request);
	if (!read.ok) {
		// Not a form body at all (wrong content type), too large, or more entries than any admin
		// form holds: a client error, refused before anything is built, never a crash.
		const code = read.code === 'err_bad_form' ? 'err_invalid' : read.code;
		return fail(read.status, { action, id: '', values: {}, errors: { _form: code }, notice: null });
	}
	const raw = read.raw;
	const values = echoValues(raw);
	const id = typeof raw.id === 'string' ? raw.id.slice(0, 64) : '';
	const parsed = v.safeParse(schema, raw);
	if (!parsed.success) return fail(400, { action, id, values, errors: fieldErrors(parsed.issues), notice: null });
	try {
		const notice = await run({ db: await getDb(), actor, input: parsed.output, id });
		return { action, id, values: {}, errors: {}, notice };
	} catch (err) {
		if (err instanceof AdminError) return fail(err.status, { action, id, values, errors: { [err.field]: err.code }, notice: null });
		throw err;
	}
}
