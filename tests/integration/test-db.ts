/*
 * A fresh, migrated database per test file and dialect: a new SQLite file in a temp dir, or
 * `CREATE DATABASE test_<random>` in the cluster started by ./global-setup.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase, type Database } from '$lib/server/db';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface TestDatabase {
	db: Kysely<Database>;
	/** What `openDatabase` needs to open the same database again. */
	options: { databaseUrl: string; dataDir: string };
	close(): Promise<void>;
}

/** Null when the dialect can run here; else why not (printed as the skipped case's name). */
export function skipReason(dialect: Dialect): string | null {
	if (dialect === 'sqlite') return null;
	const url = inject('pgUrl');
	if (url) return null;
	return inject('pgSkipReason') ?? 'pgUrl not provided: add tests/integration/global-setup.ts to test.globalSetup';
}

/** A new, empty database in the test cluster; its URL. */
export async function createPgDatabase(): Promise<string> {
	const adminUrl = inject('pgUrl');
	if (!adminUrl) throw new Error('PostgreSQL test cluster not available');
	const name = `test_${randomBytes(6).toString('hex')}`;
	const client = new pg.Client(adminUrl);
	await client.connect();
	try {
		await client.query(`CREATE DATABASE ${name}`);
	} finally {
		await client.end();
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-test-'));
	const databaseUrl = dialect === 'postgres' ? await createPgDatabase() : '';
	const options = { databaseUrl, dataDir };
	const db = await openDatabase(options);
	return {
		db,
		options,
		async close() {
			await db.destroy();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** Registers beforeAll/afterAll for a fresh database; read `.db` inside tests. */
export function useTestDatabase(dialect: Dialect, prepare?: (db: Kysely<Database>) => Promise<void>) {
	const holder = {} as { current?: TestDatabase };
	beforeAll(async () => {
		holder.current = await openTestDatabase(dialect);
		await prepare?.(holder.current.db);
	});
	afterAll(async () => {
		await holder.current?.close();
	});
	return {
		get db(): Kysely<Database> {
			if (!holder.current) throw new Error('test database not open yet');
			return holder.current.db;
		},
		get options() {
			return holder.current!.options;
		}
	};
}
