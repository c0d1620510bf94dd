import { fail, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { fieldErrors } from '$lib/domain/schemas';
import type { Role } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import type { SessionUser } from '$lib/server/auth/types';
import { getDb } from '$lib/server/db';
import type { Db } from '$lib/server/repos/common';
import { WorkflowError } from '$lib/server/workflow/errors';
import { echoValues, readForm } from './form';

type AnySchema = v.GenericSchema<unknown, unknown>;

/**
 * The shape of every form action that runs a use case: check the role, parse the form with a
 * schema, run, and turn refusals into `fail(status, { action, values, errors })` with message
 * codes. Anything else is a real bug and surfaces as one.
 */
export async function formAction<S extends AnySchema, R>(
	event: RequestEvent,
	opts: { action: string; roles: Role[]; schema: S; prepare?: (raw: Record<string, unknown>) => unknown },
	run: (db: Db, user: SessionUser, input: v.InferOutput<S>, raw: Record<string, unknown>) => Promise<R>
) {
	const user = requireRole(event, ...opts.roles);
	const raw = await readForm(event.request);
	const values = echoValues(raw);
	const parsed = v.safeParse(opts.schema, opts.prepare ? opts.prepare(raw) : raw);
	if (!parsed.success) return { ok: false as const, failure: fail(400, { action: opts.action, values, errors: fieldErrors(parsed.issues) }) };
	try {
		return { ok: true as const, result: await run(await getDb(), user, parsed.output, raw) };
	} catch (err) {
		if (err instanceof WorkflowError) {
			return { ok: false as const, failure: fail(err.status, { action: opts.action, values, errors: { _form: err.code } }) };
		}
		throw err;
	}
}
