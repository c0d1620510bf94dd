/*
 * The HTTP side of the sync endpoints, kept out of the route files so integration tests can
 * drive them with a real `Request`: body limits, JSON and schema checks, the device header.
 * Errors use SvelteKit's `{ message: code }` body like every other endpoint.
 */
import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { DEVICE_HEADER, REVOKED_STATUS, SYNC_LIMITS, type DeviceInfo, type DeviceRevocation, type RevokedBody, type SyncErrorCode } from '$lib/client/sync/protocol';
import { DEVICE_REGISTRATION, PULL_REQUEST, PUSH_REQUEST } from '$lib/client/sync/protocol-schemas';
import { recordAudit } from '$lib/server/audit';
import { readBoundedBody } from '$lib/server/http/body';
import { parseBoundedJson } from '$lib/server/http/json';
import { inTransaction } from '$lib/server/workflow/context';
import { onDeviceWiped } from '$lib/server/notify/events';
import { findAndTouchDevice, listDevices, registerDevice } from './devices';
import { pullChanges } from './pull';
import { pushMutations } from './push';

function fail(status: number, code: SyncErrorCode): never {
	error(status, { message: code });
}

/** The body as text (http/body.ts): over `max` 413; broken off (the tablet went away) 400. */
async function readBody(request: Request, max: number): Promise<string> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > max) fail(413, 'sync_err_too_large');
	const read = await readBoundedBody(request, max);
	if (!read.ok) fail(read.reason === 'too_large' ? 413 : 400, read.reason === 'too_large' ? 'sync_err_too_large' : 'sync_err_malformed');
	return new TextDecoder().decode(read.bytes);
}

async function readJson(request: Request): Promise<unknown> {
	const text = await readBody(request, SYNC_LIMITS.maxBodyBytes);
	// Depth bounded before parsing (http/json.ts): the schemas after it recurse.
	const parsed = parseBoundedJson(text);
	return parsed.ok ? parsed.value : fail(400, 'sync_err_malformed');
}

/**
 * The registered device of this user named by the header (last seen updated), revoked or not;
 * an unknown id or another user's is refused (403 `sync_err_device`: the tablet registers again).
 */
async function requireDevice(db: Db, user: SessionUser, request: Request, now: Date): Promise<DeviceInfo> {
	const deviceId = request.headers.get(DEVICE_HEADER)?.trim() ?? '';
	const device = deviceId && deviceId.length <= 64 ? await findAndTouchDevice(db, user.id, deviceId, now) : null;
	if (!device) fail(403, 'sync_err_device');
	return device;
}

const revocationOf = (device: DeviceInfo): DeviceRevocation | null => (device.revokedAt ? { reason: 'device_revoked', revokedAt: device.revokedAt } : null);

export async function handlePush(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const body = await readJson(request);
	// Too many mutations: refused whole, before anything is applied.
	const list = (body as { mutations?: unknown } | null)?.mutations;
	if (Array.isArray(list) && list.length > SYNC_LIMITS.maxBatchMutations) fail(413, 'sync_err_too_large');
	const parsed = v.safeParse(PUSH_REQUEST, body);
	if (!parsed.success) fail(400, 'sync_err_malformed');
	const device = await requireDevice(db, user, request, now);
	// A revoked tablet's queued work is still applied (nothing unsynced is lost); the answer tells
	// it to hand over the rest and wipe itself.
	const response = await pushMutations(db, { user, deviceId: device.id, now }, parsed.output.mutations);
	const revoked = revocationOf(device);
	return json(revoked ? { ...response, revoked } : response);
}

export async function handlePull(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const parsed = v.safeParse(PULL_REQUEST, await readJson(request));
	if (!parsed.success) fail(400, 'sync_err_malformed');
	const revoked = revocationOf(await requireDevice(db, user, request, now));
	// A revoked tablet gets no more data, only the signal to wipe.
	if (revoked) return json({ message: 'sync_err_revoked', revoked } satisfies RevokedBody, { status: REVOKED_STATUS });
	return json(await pullChanges(db, user, parsed.output.cursor, now));
}

const WIPED_REPORT = v.object({
	unsyncedMutations: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
	unsyncedPhotos: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))
});

/**
 * A revoked tablet reports that it has wiped itself (`WipedReport`): recorded in the audit log
 * (what it could not hand over, normally nothing), so the admin sees the wipe happened. Only a
 * revoked device may report it (409 `sync_err_not_revoked` otherwise).
 */
export async function handleWiped(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const parsed = v.safeParse(WIPED_REPORT, await readJson(request));
	if (!parsed.success) fail(400, 'sync_err_malformed');
	const device = await requireDevice(db, user, request, now);
	if (!device.revokedAt) fail(409, 'sync_err_not_revoked');
	await inTransaction(db, async (tx) => {
		await recordAudit(tx, {
			actorId: user.id,
			action: 'device_wiped',
			entity: 'device',
			entityId: device.id,
			outletId: user.outletId,
			details: { label: device.label, revokedAt: device.revokedAt, ...parsed.output },
			at: now
		});
		await onDeviceWiped(tx, device, user.username, parsed.output.unsyncedMutations + parsed.output.unsyncedPhotos, now);
	});
	return json({ ok: true });
}

export async function handleRegisterDevice(db: Db, user: SessionUser, request: Request, now: Date = new Date()): Promise<Response> {
	const parsed = v.safeParse(DEVICE_REGISTRATION, await readJson(request));
	if (!parsed.success) fail(400, 'sync_err_malformed');
	return json(await registerDevice(db, user.id, parsed.output.label, now), { status: 201 });
}

export async function handleListDevices(db: Db, user: SessionUser): Promise<Response> {
	return json({ devices: await listDevices(db, user.id) });
}
