import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { config } from '$lib/server/config';
import type { Database } from './schema';
import { migrateToLatest } from './migrator';
import { cachingStatements } from './sqlite-statements';
import { preparingPool } from './pg-statements';
import { queryStatsLogger } from './query-stats';
import { LOCK_KEYS, withAdvisoryLock } from './advisory-lock';

export { dialectOf, type DialectName } from './dialect';
export type { Database } from './schema';

export interface OpenDatabaseOptions {
	/** `postgres://…` or `postgresql://…` selects PostgreSQL; anything else SQLite. */
	databaseUrl: string;
	/** Folder of `doorstep.sqlite` (created if missing). */
	dataDir: string;
}

export const SQLITE_FILE_NAME = 'doorstep.sqlite';

function isPostgresUrl(url: string): boolean {
	return /^postgres(ql)?:\/\//i.test(url.trim());
}

function openSqlite(dataDir: string): Kysely<Database> {
	fs.mkdirSync(dataDir, { recursive: true });
	const file = new SQLite(path.join(dataDir, SQLITE_FILE_NAME));
	// WAL lets readers continue while one writer commits; busy_timeout waits for a lock held by
	// another process (e.g. a backup) instead of failing at once.
	file.pragma('journal_mode = WAL');
	file.pragma('foreign_keys = ON');
	file.pragma('busy_timeout = 5000');
	file.pragma('synchronous = NORMAL');
	return new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(file) }), log: queryStatsLogger() });
}

function openPostgres(url: string): Kysely<Database> {
	// Named prepared statements (./pg-statements.ts) unless PG_PREPARE=0: a pooler in
	// transaction mode that does not keep them (PgBouncer before 1.21) needs them off.
	const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c plan_cache_mode=force_custom_plan' });
	// An idle connection dropped by the server (restart, network) emits 'error' on the pool;
	// unhandled, that would crash the process. The pool replaces the connection on next use.
	pool.on('error', (err) => console.error('[doorstep] PostgreSQL idle connection error:', err.message));
	return new Kysely<Database>({ dialect: new PostgresDialect({ pool: process.env.PG_PREPARE === '0' ? pool : preparingPool(pool) }), log: queryStatsLogger() });
}

/** Opens SQLite or PostgreSQL and brings the schema up to date before returning. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Kysely<Database>> {
	const db = isPostgresUrl(opts.databaseUrl)
		? openPostgres(opts.databaseUrl)
		: openSqlite(opts.dataDir);
	try {
		// One process at a time (PostgreSQL): several started together take turns.
		await withAdvisoryLock(db, LOCK_KEYS.start, () => migrateToLatest(db));
	} catch (err) {
		await db.destroy();
		throw err;
	}
	return db;
}

// One database per server process. A promise, so concurrent first callers share one open.
let instance: Promise<Kysely<Database>> | null = null;

/** The app's database, opened (and migrated) on first use from `config()`. */
export function getDb(): Promise<Kysely<Database>> {
	if (!instance) {
		const { databaseUrl, dataDir } = config();
		instance = openDatabase({ databaseUrl, dataDir });
		// A failed open must not be cached forever: the next call tries again.
		instance.catch(() => {
			instance = null;
		});
	}
	return instance;
}

/** Closes the app's database (tests, graceful shutdown). Safe to call when never opened. */
export async function closeDb(): Promise<void> {
	const current = instance;
	instance = null;
	if (current) await (await current).destroy();
}
