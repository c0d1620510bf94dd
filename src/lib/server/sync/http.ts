/*
 * The HTTP side of the sync endpoints, kept out of the route files so integration tests can
 * drive them with a real `Request`: body limits, JSON and schema checks, the device header.
 * Errors use SvelteKit's `{ message: code }` body like every other endpoint.
 */
import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { DEVICE_HEADER, SYNC_LIMITS, type SyncErrorCode } from '$lib/client/sync/protocol';
import { DEVICE_REGISTRATION, PULL_REQUEST, PUSH_REQUEST } from '$lib/client/sync/protocol-schemas';
import { listDevices, registerDevice, touchDevice } from './devices';
import { pullChanges } from './pull';
import { pushMutations } from './push';

function fail(status: number, code: SyncErrorCode): never {
	error(status, { message: code });
}

/** Reads at most `max` bytes of the body; a longer body is refused before it is all in memory. */
async function readBody(request: Request, max: number): Promise<string> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > max) fail(413, 'sync_err_too_large');
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel();
			fail(413, 'sync_err_too_large');
		}
		chunks.push(value);
	}
	return new TextDecoder().decode(Buffer.concat(chunks));
}

async function readJson(request: Request): Promise<unknown> {
	const text = await readBody(request, SYNC_LIMITS.maxBodyBytes);
	try {
		return JSON.parse(text);
	} catch {
		return fail(400, 'sync_err_malformed');
	}
}

/** The registered, unrevoked device of this user named by the header (last seen updated). */
async function requireDevice(db: Db, user: SessionUser, request: Request, now: Date): Promise<string> {
	const deviceId = request.headers.get(DEVICE_HEADER)?.trim() ?? '';
	if (!deviceId || deviceId.length > 64 || !(await touchDevice(db, user.id, deviceId, now))) fail(403, 'sync_err_device');
	return deviceId;
}

export async function handlePush(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const body = await readJson(request);
	// Too many mutations: refused whole, before anything is applied.
	const list = (body as { mutations?: unknown } | null)?.mutations;
	if (Array.isArray(list) && list.length > SYNC_LIMITS.maxBatchMutations) fail(413, 'sync_err_too_large');
	const parsed = v.safeParse(PUSH_REQUEST, body);
	if (!parsed.success) fail(400, 'sync_err_malformed');
	const deviceId = await requireDevice(db, user, request, now);
	return json(await pushMutations(db, { user, deviceId, now }, parsed.output.mutations));
}

export async function handlePull(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const parsed = v.safeParse(PULL_REQUEST, await readJson(request));
	if (!parsed.success) fail(400, 'sync_err_malformed');
	await requireDevice(db, user, request, now);
	return json(await pullChanges(db, user, parsed.output.cursor, now));
}

export async function handleRegisterDevice(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const parsed = v.safeParse(DEVICE_REGISTRATION, await readJson(request));
	if (!parsed.success) fail(400, 'sync_err_malformed');
	return json(await registerDevice(db, user.id, parsed.output.label, now), { status: 201 });
}

export async function handleListDevices(db: Db, user: SessionUser): Promise<Response> {
	return json({ devices: await listDevices(db, user.id) });
}
