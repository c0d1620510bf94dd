import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/*
 * Kysely's SQLite driver prepares every query anew; preparing was an eighth of the server's CPU
 * under sync load (bench:sync profile). The app runs a small, fixed set of statement shapes, so
 * the prepared statements are kept by SQL text. Safe because the driver runs one query at a time
 * on its one connection (a statement still iterating is not reused), and SQLite re-prepares a statement itself after a schema change.
 * Bounded: texts built with a variable number of placeholders (`in (?, ?, …)`) could be many.
 */
const MAX_CACHED = 500;

export function cachingStatements(file: SQLite.Database): SqliteDatabase {
	const cache = new Map<string, SQLite.Statement>();
	return {
		close: () => {
			cache.clear();
			file.close();
		},
		prepare(sql: string): SqliteStatement {
			let statement = cache.get(sql);
			// A stream left unfinished keeps its statement busy: that one gets a fresh statement.
			if (statement === undefined || statement.busy) {
				statement = file.prepare(sql);
				if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
				cache.set(sql, statement);
			}
			return statement as unknown as SqliteStatement;
		}
	};
}
