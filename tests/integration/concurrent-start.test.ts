import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '$lib/server/db';
import { seedOnce } from '$lib/server/db/startup';
import { toCount } from '$lib/server/repos/common';
import { createPgDatabase, skipReason } from './test-db';

/*
 * Issue 12, point 2: server processes started together on one EMPTY PostgreSQL database. Each
 * handle here has its own connection pool, as a process has; all open (migrate) and seed at
 * once. Before the start lock, one failed on users_username_key and SEED_DEMO=0 made two branches.
 */
const N = 4;

async function countOf(db: Kysely<Database>, table: 'users' | 'branches' | 'services' | 'requests'): Promise<number> {
	return toCount((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

describe('concurrent start on PostgreSQL', () => {
	const reason = skipReason('postgres');
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const open: Kysely<Database>[] = [];
	afterEach(async () => {
		await Promise.all(open.splice(0).map((db) => db.destroy()));
	});

	async function startTogether(seed: { seedDemo: boolean; adminPassword: string | null }) {
		const databaseUrl = await createPgDatabase();
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		try {
			const outcomes = await Promise.all(
				Array.from({ length: N }, async () => {
					const db = await openDatabase({ databaseUrl, dataDir: '/nonexistent-not-used' });
					open.push(db);
					return seedOnce(db, seed);
				})
			);
			return { outcomes, db: open[0] };
		} finally {
			log.mockRestore();
		}
	}

	it(`${N} processes with demo data: all come up, the demo is seeded once`, async () => {
		const { outcomes, db } = await startTogether({ seedDemo: true, adminPassword: null });
		expect(outcomes.filter((o) => o === 'demo')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(N - 1);
		expect(await countOf(db, 'users')).toBe(1 + 3 + 8 + 6);
		expect(await countOf(db, 'branches')).toBe(1);
	});

	it(`${N} processes with SEED_DEMO=0: one admin, one branch, one catalogue`, async () => {
		const { outcomes, db } = await startTogether({ seedDemo: false, adminPassword: 'Admin-Start-2026' });
		expect(outcomes.filter((o) => o === 'admin_created')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(N - 1);
		expect(await countOf(db, 'users')).toBe(1);
		expect(await countOf(db, 'branches')).toBe(1);
		const services = await db.selectFrom('services').select('code').execute();
		expect(new Set(services.map((s) => s.code)).size).toBe(services.length);
	});
});
