/*
 * The notifications table: written inside the transaction of the event that causes them (so a
 * rolled-back event leaves none, and a committed one has all), read by /notifications and the
 * header's bell. Every read is by the signed-in user's id: a user sees only their own rows.
 */
import { NOTIFICATION_PAGE_SIZE, type NotificationCode, type NotificationParams } from '$lib/domain/notifications';
import { maskPersonalNumbers } from '$lib/domain/personal-numbers';
import { newId, toCount, type Db } from '$lib/server/repos/common';

export interface NewNotification {
	code: NotificationCode;
	params?: NotificationParams;
	link?: string | null;
	entity?: string | null;
	entityId?: string | null;
	/** Set for time-driven notices: one per user and key (a repeated sweep adds nothing). */
	dedupeKey?: string | null;
}

export interface StoredNotification {
	id: string;
	code: NotificationCode;
	params: NotificationParams;
	link: string | null;
	entity: string | null;
	entityId: string | null;
	createdAt: string;
	readAt: string | null;
}

const MAX_PARAM = 300;

/** Strings are cut to a bounded length and scrubbed of ID and phone numbers (e.g. in a reason). */
function cleanParams(params: NotificationParams = {}): string {
	const out: NotificationParams = {};
	for (const [key, value] of Object.entries(params)) out[key] = typeof value === 'string' ? maskPersonalNumbers(value.slice(0, MAX_PARAM)) : value;
	return JSON.stringify(out);
}

/** One row per distinct recipient; returns how many were written (a deduplicated one is not). */
export async function notifyUsers(db: Db, userIds: Iterable<string | null | undefined>, n: NewNotification, now: Date): Promise<number> {
	const ids = [...new Set([...userIds].filter((id): id is string => !!id))];
	if (!ids.length) return 0;
	const rows = ids.map((userId) => ({
		id: newId(),
		user_id: userId,
		code: n.code,
		params: cleanParams(n.params),
		link: n.link ?? null,
		entity: n.entity ?? null,
		entity_id: n.entityId ?? null,
		dedupe_key: n.dedupeKey ?? null,
		created_at: now.toISOString(),
		read_at: null
	}));
	const query = db.insertInto('notifications').values(rows);
	const result = n.dedupeKey
		? await query.onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing()).executeTakeFirst()
		: await query.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0);
}

function toStored(r: { id: string; code: string; params: string; link: string | null; entity: string | null; entity_id: string | null; created_at: string; read_at: string | null }): StoredNotification {
	let params: NotificationParams = {};
	try {
		const parsed: unknown = JSON.parse(r.params);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) params = parsed as NotificationParams;
	} catch {
		/* a damaged row shows without parameters */
	}
	return { id: r.id, code: r.code as NotificationCode, params, link: r.link, entity: r.entity, entityId: r.entity_id, createdAt: r.created_at, readAt: r.read_at };
}

/** The user's notifications, newest first, `NOTIFICATION_PAGE_SIZE` per page. */
export async function listNotifications(db: Db, userId: string, opts: { page?: number; codes?: readonly string[]; since?: string } = {}): Promise<StoredNotification[]> {
	const page = Math.max(0, Math.min(opts.page ?? 0, 1000));
	let query = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
	if (opts.codes) query = query.where('code', 'in', [...opts.codes]);
	if (opts.since) query = query.where('created_at', '>=', opts.since);
	const rows = await query
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(NOTIFICATION_PAGE_SIZE)
		.offset(page * NOTIFICATION_PAGE_SIZE)
		.execute();
	return rows.map(toStored);
}

export async function countUnread(db: Db, userId: string): Promise<number> {
	const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
	return toCount(row.n);
}

/** Marks one of the user's notifications read; false when it is not theirs (or unknown). */
export async function markRead(db: Db, userId: string, id: string, now: Date = new Date()): Promise<boolean> {
	const result = await db.updateTable('notifications').set({ read_at: now.toISOString() }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
	if (Number(result.numUpdatedRows) > 0) return true;
	const mine = await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
	return !!mine;
}

/**
 * Marks read what the user had in front of them: the unread ones created up to `upTo` (the newest
 * the list showed), so a notice that arrives while the page is open stays unread.
 */
export async function markAllRead(db: Db, userId: string, upTo: string, now: Date = new Date()): Promise<number> {
	const result = await db
		.updateTable('notifications')
		.set({ read_at: now.toISOString() })
		.where('user_id', '=', userId)
		.where('read_at', 'is', null)
		.where('created_at', '<=', upTo)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** When the user's newest notification was created, or null when there is none. */
export async function newestNotificationAt(db: Db, userId: string): Promise<string | null> {
	const row = await db.selectFrom('notifications').select('created_at').where('user_id', '=', userId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
	return row?.created_at ?? null;
}

/** The user's notification `id` (for the link after marking it read), or null. */
export async function getNotification(db: Db, userId: string, id: string): Promise<StoredNotification | null> {
	const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
	return row ? toStored(row) : null;
}
