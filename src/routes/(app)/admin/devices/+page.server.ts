import { idOnlySchema } from '$lib/domain/schemas';
import { adminAction } from '$lib/server/admin/action';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listDevicesForAdmin, revokeAllDevicesAsAdmin, revokeDeviceAsAdmin } from '$lib/server/security/device-admin';
import { readLockIdleMinutes, setLockIdleMinutes } from '$lib/server/security/lock-policy';
import { lockPolicySchema } from '$lib/domain/schemas-admin';
import type { Actions, PageServerLoad } from './$types';

/** Field tablets, optionally of one user (`?user=<id>`, linked from the accounts table). */
export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const db = await getDb();
	const userId = (event.url.searchParams.get('user') ?? '').slice(0, 64);
	const user = userId ? await db.selectFrom('users').select(['id', 'username', 'display_name as displayName']).where('id', '=', userId).executeTakeFirst() : undefined;
	return { user: user ?? null, devices: await listDevicesForAdmin(db, { userId: user?.id }), lockIdleMinutes: await readLockIdleMinutes(db) };
};

export const actions: Actions = {
	lockPolicy: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'lockPolicy', lockPolicySchema, async ({ db, input }) =>
			(await setLockIdleMinutes(db, actor, input.lockIdleMinutes)) ? 'security_notice_lock_saved' : 'security_notice_lock_unchanged'
		);
	},
	revoke: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'revoke', idOnlySchema, async ({ db, input }) => {
			await revokeDeviceAsAdmin(db, actor, input.id);
			return 'security_notice_device_revoked';
		});
	},
	revokeAll: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'revokeAll', idOnlySchema, async ({ db, input }) => {
			const n = await revokeAllDevicesAsAdmin(db, actor, input.id);
			return n ? 'security_notice_devices_revoked' : 'security_notice_no_devices';
		});
	}
};
