/*
 * Tablets registered by field staff. A device id is issued here and sent with every sync
 * (`x-doorstep-device`), so the audit log can say which tablet made a change, and a lost tablet
 * can be revoked (its pushes are refused) without touching the user's other devices.
 */
import type { DeviceRow } from '$lib/server/db/schema';
import { newId, type Db } from '$lib/server/repos/common';
import type { DeviceInfo } from '$lib/client/sync/protocol';

const toDevice = (row: DeviceRow): DeviceInfo => ({
	id: row.id,
	label: row.label,
	createdAt: row.created_at,
	lastSeenAt: row.last_seen_at,
	revokedAt: row.revoked_at
});

export async function registerDevice(db: Db, userId: string, label: string, now: Date = new Date()): Promise<DeviceInfo> {
	const at = now.toISOString();
	const row = { id: newId(), user_id: userId, label: label.trim().slice(0, 80), created_at: at, last_seen_at: at, revoked_at: null };
	await db.insertInto('devices').values(row).execute();
	return toDevice(row);
}

export async function listDevices(db: Db, userId: string): Promise<DeviceInfo[]> {
	const rows = await db.selectFrom('devices').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
	return rows.map(toDevice);
}

/**
 * Marks the device as seen now. False when it is not this user's or was revoked: the caller
 * refuses the sync (`sync_err_device`) and the tablet registers again.
 */
export async function touchDevice(db: Db, userId: string, deviceId: string, now: Date = new Date()): Promise<boolean> {
	const result = await db
		.updateTable('devices')
		.set({ last_seen_at: now.toISOString() })
		.where('id', '=', deviceId)
		.where('user_id', '=', userId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

export async function revokeDevice(db: Db, userId: string, deviceId: string, now: Date = new Date()): Promise<boolean> {
	const result = await db
		.updateTable('devices')
		.set({ revoked_at: now.toISOString() })
		.where('id', '=', deviceId)
		.where('user_id', '=', userId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
