import type { Db } from '$lib/server/repos/common';

/** Display names of the given users (at most a few dozen staff of the scope). */
export async function staffNames(db: Db, ids: string[]): Promise<Map<string, string>> {
	const unique = [...new Set(ids)].slice(0, 2000);
	if (!unique.length) return new Map();
	const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
	return new Map(rows.map((r) => [r.id, r.display_name]));
}
