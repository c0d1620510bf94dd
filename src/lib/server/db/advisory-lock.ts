/*
 * PostgreSQL advisory locks for what several server processes must not do at the same time
 * (start-up migrations and seed: ./startup.ts; the storage janitor). On SQLite (one process per
 * file) the work just runs.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/** Advisory lock keys of Doorstep (one bigint namespace per database). */
export const LOCK_KEYS = { start: 0x446f6f7201, janitor: 0x446f6f7202 } as const;

/**
 * Runs `work` while holding the advisory lock `key`, waiting for it (PostgreSQL); plain call on
 * SQLite. The lock is released when `work` ends, also by a throw, and by PostgreSQL itself if the
 * process dies (the session ends).
 */
export async function withAdvisoryLock<T>(db: Kysely<any>, key: number, work: () => Promise<T>): Promise<T> {
	if (dialectOf(db) !== 'postgres') return work();
	return db.connection().execute(async (conn) => {
		await sql`select pg_advisory_lock(${sql.lit(key)})`.execute(conn);
		try {
			return await work();
		} finally {
			await sql`select pg_advisory_unlock(${sql.lit(key)})`.execute(conn);
		}
	});
}

/**
 * Like withAdvisoryLock, but never waits: null (and `work` not run) when another process holds
 * the lock. For jobs one process at a time is enough for (the storage janitor).
 */
export async function ifAdvisoryLockFree<T>(db: Kysely<any>, key: number, work: () => Promise<T>): Promise<T | null> {
	if (dialectOf(db) !== 'postgres') return work();
	return db.connection().execute(async (conn) => {
		const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${sql.lit(key)}) as locked`.execute(conn);
		if (!rows[0]?.locked) return null;
		try {
			return await work();
		} finally {
			await sql`select pg_advisory_unlock(${sql.lit(key)})`.execute(conn);
		}
	});
}
