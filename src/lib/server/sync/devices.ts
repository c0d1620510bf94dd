/*
 * Tablets registered by field staff. A device id is issued here and sent with every sync
 * (`x-doorstep-device`), so the audit log can say which tablet made a change, and a lost tablet
 * can be revoked without touching the user's other devices: it then hands over its queued work
 * and wipes itself (docs/sync-protocol.md § Revocation).
 */
import type { DeviceRow } from '$lib/server/db/schema';
import { newId, type Db } from '$lib/server/repos/common';
import type { DeviceInfo } from '$lib/client/sync/protocol';

/** How often a device's last-seen time is written (shown to the minute). */
export const TOUCH_EVERY_MS = 60_000;

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

/**
 * The user's device named by the sync header, marked as seen now; null when it is unknown or not
 * this user's. A revoked device is returned too (with `revokedAt`): it may still hand over its
 * queued work before it wipes itself (docs/sync-protocol.md § Revocation).
 */
export async function findAndTouchDevice(db: Db, userId: string, deviceId: string, now: Date = new Date()): Promise<DeviceInfo | null> {
	const row = await db.selectFrom('devices').selectAll().where('id', '=', deviceId).where('user_id', '=', userId).executeTakeFirst();
	if (!row) return null;
	// Seen at most once a minute, like sessions: a write per sync request would queue every
	// tablet's pull behind the writers (SQLite has one) for a figure shown to the minute.
	if (row.last_seen_at && now.getTime() - Date.parse(row.last_seen_at) < TOUCH_EVERY_MS) return toDevice(row);
	const at = now.toISOString();
	await db.updateTable('devices').set({ last_seen_at: at }).where('id', '=', deviceId).where('user_id', '=', userId).execute();
	return toDevice({ ...row, last_seen_at: at });
}

/** Revokes every unrevoked device of a user; returns the ids revoked. */
export async function revokeAllDevices(db: Db, userId: string, now: Date = new Date()): Promise<string[]> {
	const rows = await db
		.updateTable('devices')
		.set({ revoked_at: now.toISOString() })
		.where('user_id', '=', userId)
		.where('revoked_at', 'is', null)
		.returning('id')
		.execute();
	return rows.map((r) => r.id);
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
