/*
 * What one process does at start that several processes must not do at the same time: the
 * migrations (openDatabase, ./index.ts) and the first seed (demo data, or the first admin with
 * SEED_DEMO=0). On PostgreSQL both run under a session advisory lock held on one connection of
 * the pool (./advisory-lock.ts), so processes started together take turns: the first migrates
 * and seeds, the others wait, then find the schema current and the data there. (Kysely's
 * migrator has a lock of its own for the migrations; this one also covers the seed, which is
 * what crashed a second process.)
 */
import type { Kysely } from 'kysely';
import type { AppConfig } from '$lib/server/config';
import { LOCK_KEYS, withAdvisoryLock } from './advisory-lock';
import type { Database } from './schema';
import { seedIfEmpty, type SeedOutcome } from './seed';

/** The first seed, one process at a time (hooks.server.ts `init`). */
export function seedOnce(db: Kysely<Database>, cfg: Pick<AppConfig, 'seedDemo' | 'adminPassword'>, now?: Date): Promise<SeedOutcome> {
	return withAdvisoryLock(db, LOCK_KEYS.start, () => seedIfEmpty(db, cfg, now));
}
