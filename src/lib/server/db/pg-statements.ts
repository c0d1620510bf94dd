import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/*
 * Kysely sends every query to PostgreSQL as an unnamed statement, which the server parses and
 * analyses again each time. The app runs a small, fixed set of statement shapes, so parameterised
 * ones are sent as named prepared statements (node-pg prepares a name once per connection).
 * Bounded: beyond MAX_NAMED shapes (texts built with a variable number of placeholders could be
 * many) the rest stay unnamed. Statements without parameters (begin, commit, savepoints, each
 * with its own name) are never named. Plans stay custom per execution (plan_cache_mode, set on
 * the pool): a generic plan chosen for one report range could be bad for another.
 */
const MAX_NAMED = 2000;
const MAX_TEXT = 8000;

export function preparingPool(pool: pg.Pool): PostgresPool {
	const names = new Map<string, string>();
	const nameOf = (text: string): string | undefined => {
		if (text.length > MAX_TEXT || !text.includes('$1')) return undefined;
		let name = names.get(text);
		if (name === undefined && names.size < MAX_NAMED) {
			name = `k${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
			names.set(text, name);
		}
		return name;
	};
	const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
	const wrap = (client: pg.PoolClient): PostgresPoolClient => {
		let wrapper = wrappers.get(client);
		if (!wrapper) {
			wrapper = {
				query: ((textOrCursor: unknown, values?: unknown[]) => {
					if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
					const name = nameOf(textOrCursor);
					return name ? client.query({ name, text: textOrCursor, values }) : client.query(textOrCursor, values);
				}) as unknown as PostgresPoolClient['query'],
				release: (destroy?: boolean) => client.release(destroy)
			};
			wrappers.set(client, wrapper);
		}
		return wrapper;
	};
	return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
}
