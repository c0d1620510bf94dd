import { recordAudit } from '$lib/server/audit';
import { AdminError } from '$lib/server/admin/errors';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { revokeAllDevices } from '$lib/server/sync/devices';
import { onDeviceRevoked } from '$lib/server/notify/events';

/*
 * The administrator's side of device revocation: list the field tablets, revoke one or all of a
 * user's. A revoked tablet still hands over its queued work at its next sync and then wipes
 * itself (docs/sync-protocol.md § Revocation); its wipe report shows here as `wipedAt`.
 * Each revocation is one transaction with its audit entry.
 */

export interface AdminDeviceView {
	id: string;
	label: string;
	userId: string;
	username: string;
	displayName: string;
	createdAt: string;
	lastSeenAt: string | null;
	revokedAt: string | null;
	/** When the tablet reported that it wiped itself (audit `device_wiped`), if it has. */
	wipedAt: string | null;
}

export async function listDevicesForAdmin(db: Db, opts: { userId?: string } = {}): Promise<AdminDeviceView[]> {
	let query = db
		.selectFrom('devices')
		.innerJoin('users', 'users.id', 'devices.user_id')
		.select([
			'devices.id',
			'devices.label',
			'devices.user_id as userId',
			'users.username',
			'users.display_name as displayName',
			'devices.created_at as createdAt',
			'devices.last_seen_at as lastSeenAt',
			'devices.revoked_at as revokedAt'
		])
		.orderBy('users.username')
		.orderBy('devices.created_at', 'desc');
	if (opts.userId) query = query.where('devices.user_id', '=', opts.userId);
	const rows = await query.execute();
	const wipes = rows.some((r) => r.revokedAt)
		? await db.selectFrom('audit_log').select(['entity_id', 'at']).where('entity', '=', 'device').where('action', '=', 'device_wiped').orderBy('seq').execute()
		: [];
	const wipedAt = new Map(wipes.map((w) => [w.entity_id, w.at]));
	return rows.map((r) => ({ ...r, wipedAt: wipedAt.get(r.id) ?? null }));
}

async function ownerOf(db: Db, deviceId: string) {
	return db
		.selectFrom('devices')
		.innerJoin('users', 'users.id', 'devices.user_id')
		.select(['devices.id', 'devices.label', 'devices.revoked_at', 'users.id as userId', 'users.username', 'users.outlet_id as outletId'])
		.where('devices.id', '=', deviceId)
		.executeTakeFirst();
}

export async function revokeDeviceAsAdmin(db: Db, actor: SessionUser, deviceId: string, now: Date = new Date()): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const device = await ownerOf(trx, deviceId);
		if (!device) throw new AdminError('security_err_device_not_found', 404);
		if (device.revoked_at) throw new AdminError('security_err_device_already_revoked', 409);
		await trx.updateTable('devices').set({ revoked_at: now.toISOString() }).where('id', '=', deviceId).where('revoked_at', 'is', null).execute();
		await recordAudit(trx, { actorId: actor.id, action: 'device_revoke', entity: 'device', entityId: deviceId, outletId: device.outletId, details: { userId: device.userId, label: device.label }, at: now });
		await onDeviceRevoked(trx, device, device.username, now);
	});
}

/** Revokes every tablet of a user; returns how many were revoked (0 is no error). */
export async function revokeAllDevicesAsAdmin(db: Db, actor: SessionUser, userId: string, now: Date = new Date()): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const user = await trx.selectFrom('users').select(['id', 'outlet_id', 'username']).where('id', '=', userId).executeTakeFirst();
		if (!user) throw new AdminError('err_not_found', 404);
		const ids = await revokeAllDevices(trx, userId, now);
		if (ids.length) await recordAudit(trx, { actorId: actor.id, action: 'device_revoke_all', entity: 'user', entityId: userId, outletId: user.outlet_id, details: { devices: ids }, at: now });
		const devices = ids.length ? await trx.selectFrom('devices').select(['id', 'label']).where('id', 'in', ids).execute() : [];
		for (const device of devices) await onDeviceRevoked(trx, device, user.username, now);
		return ids.length;
	});
}
