import { error, fail, redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime.js';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { countUnread, getNotification, listNotifications, markAllRead, markRead, newestNotificationAt } from '$lib/server/notify/store';
import { NOTIFICATION_PAGE_SIZE } from '$lib/domain/notifications';
import type { Actions, PageServerLoad } from './$types';

/** A stored `created_at` (toISOString), the only form `upTo` takes. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Only links this server wrote: a path on this site, never `//elsewhere`. */
const safeLink = (link: string | null): string | null => (link && link.startsWith('/') && !link.startsWith('//') ? link : null);

async function idFrom(request: Request): Promise<string> {
	const form = await request.formData().catch(() => null);
	const id = form?.get('id');
	if (typeof id !== 'string' || !id || id.length > 64) error(400, { message: 'err_bad_request' });
	return id;
}

/** The signed-in user's own notifications, newest first (`?page=N`). */
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event);
	const db = await getDb();
	const page = Math.max(0, Math.min(Number.parseInt(event.url.searchParams.get('page') ?? '0', 10) || 0, 1000));
	const items = await listNotifications(db, user.id, { page });
	return {
		locale: getLocale(),
		page,
		hasMore: items.length === NOTIFICATION_PAGE_SIZE,
		unread: await countUnread(db, user.id),
		newestAt: await newestNotificationAt(db, user.id),
		items: items.map((n) => ({ id: n.id, code: n.code, params: n.params, link: safeLink(n.link), createdAt: n.createdAt, readAt: n.readAt }))
	};
};

export const actions: Actions = {
	/** Marks one read and stays on the list. */
	read: async (event) => {
		const user = requireRole(event);
		const id = await idFrom(event.request);
		if (!(await markRead(await getDb(), user.id, id))) return fail(404, { error: 'ntf_err_not_found' });
		return { done: 'read' };
	},
	/** Marks one read and opens what it is about. */
	open: async (event) => {
		const user = requireRole(event);
		const id = await idFrom(event.request);
		const db = await getDb();
		const notification = await getNotification(db, user.id, id);
		if (!notification) return fail(404, { error: 'ntf_err_not_found' });
		await markRead(db, user.id, id);
		redirect(303, safeLink(notification.link) ?? '/notifications');
	},
	/** Marks read everything up to the newest notification the page showed (`upTo`). */
	readAll: async (event) => {
		const user = requireRole(event);
		const form = await event.request.formData().catch(() => null);
		const upTo = form?.get('upTo');
		if (typeof upTo !== 'string' || !ISO_INSTANT.test(upTo)) return fail(400, { error: 'ntf_err_list_stale' });
		await markAllRead(await getDb(), user.id, upTo);
		return { done: 'all' };
	}
};
