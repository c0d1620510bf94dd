import { PostgresAdapter, SqliteAdapter, type Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Which database a Kysely instance (or transaction) talks to. Read from the adapter rather than
 * from configuration, so migrations and repositories can branch without extra parameters.
 */
export function dialectOf(db: Kysely<any>): DialectName {
	const adapter = db.getExecutor().adapter;
	if (adapter instanceof SqliteAdapter) return 'sqlite';
	if (adapter instanceof PostgresAdapter) return 'postgres';
	throw new Error(`Unsupported database adapter: ${adapter.constructor.name}`);
}
