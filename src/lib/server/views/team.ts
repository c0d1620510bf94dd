import type { Db } from '$lib/server/repos/common';
import { listUsers } from '$lib/server/repos/users';

/** The outlet's active field staff, for choosing a two-person team. */
export async function teamOptions(db: Db, outletId: string) {
	const staff = await listUsers(db, { outletId, role: 'field_staff', activeOnly: true });
	return staff.map((s) => ({ id: s.id, name: s.displayName }));
}
