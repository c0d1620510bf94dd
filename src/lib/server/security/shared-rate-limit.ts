/*
 * Token buckets in the database (table `rate_limits`, migration 016_scale_out), so a limit holds
 * in total across every server process on the same database. The rule is the one of
 * rate-limit.ts (capacity, refill per minute); a hit is ONE atomic statement: an upsert that
 * refills the bucket from the time elapsed, takes a token if there is one, and returns what it
 * did. PostgreSQL runs the `ON CONFLICT DO UPDATE` of concurrent hits on one key one after the
 * other (row lock), SQLite has one writer at a time: no two processes can take the same token.
 *
 * Keys are stored as `<limit>:<sha-256 prefix>`: the table never holds an address or a username.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { dialectOf } from '$lib/server/db/dialect';
import type { Db } from '$lib/server/repos/common';
import type { RateDecision, RateRule } from './rate-limit';

export function bucketKey(limit: string, key: string): string {
	return `${limit}:${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}`;
}

function retryAfter(tokens: number, rule: RateRule): number {
	return Math.max(1, Math.ceil(((1 - tokens) / rule.perMinute) * 60));
}

export class SharedRateLimiter {
	constructor(
		readonly db: Db,
		readonly name: string,
		readonly rule: RateRule
	) {}

	private fn(): { min: string; max: string } {
		return dialectOf(this.db) === 'postgres' ? { min: 'least', max: 'greatest' } : { min: 'min', max: 'max' };
	}

	/** The bucket's tokens refilled up to `nowMs`, as SQL over the stored row. */
	private refilled(nowMs: number) {
		const { min, max } = this.fn();
		const { capacity, perMinute } = this.rule;
		return sql`${sql.raw(min)}(cast(${capacity} as double precision), rate_limits.tokens + ${sql.raw(max)}(cast(0 as double precision), cast(${nowMs} as double precision) - rate_limits.updated_ms) * cast(${perMinute} as double precision) / 60000.0)`;
	}

	/** Counts one event: takes a token if there is one; refused (nothing taken) otherwise. */
	async take(key: string, nowMs: number): Promise<RateDecision> {
		const { max } = this.fn();
		const refill = this.refilled(nowMs);
		const { rows } = await sql<{ tokens: number; last_ok: number }>`
			insert into rate_limits (key, tokens, updated_ms, last_ok)
			values (${bucketKey(this.name, key)}, cast(${this.rule.capacity - 1} as double precision), cast(${nowMs} as double precision), 1)
			on conflict (key) do update set
				tokens = case when ${refill} >= 1 then ${refill} - 1 else ${refill} end,
				last_ok = case when ${refill} >= 1 then 1 else 0 end,
				updated_ms = ${sql.raw(max)}(rate_limits.updated_ms, cast(${nowMs} as double precision))
			returning tokens, last_ok`.execute(this.db);
		const row = rows[0];
		const tokens = Number(row.tokens);
		return Number(row.last_ok) === 1 ? { ok: true, remaining: Math.floor(tokens) } : { ok: false, retryAfterSeconds: retryAfter(tokens, this.rule) };
	}

	/** Gives back a token taken for an event that turned out not to count (a successful sign-in). */
	async refund(key: string, nowMs: number): Promise<void> {
		const { min } = this.fn();
		await sql`
			update rate_limits set tokens = ${sql.raw(min)}(cast(${this.rule.capacity} as double precision), ${this.refilled(nowMs)} + 1),
				updated_ms = cast(${nowMs} as double precision)
			where key = ${bucketKey(this.name, key)}`.execute(this.db);
	}

	/** Would an event pass now? Takes nothing. */
	async check(key: string, nowMs: number): Promise<RateDecision> {
		const row = await this.db.selectFrom('rate_limits').select(['tokens', 'updated_ms']).where('key', '=', bucketKey(this.name, key)).executeTakeFirst();
		if (!row) return { ok: true, remaining: this.rule.capacity };
		const gained = (Math.max(0, nowMs - Number(row.updated_ms)) / 60_000) * this.rule.perMinute;
		const tokens = Math.min(this.rule.capacity, Number(row.tokens) + gained);
		return tokens >= 1 ? { ok: true, remaining: Math.floor(tokens) } : { ok: false, retryAfterSeconds: retryAfter(tokens, this.rule) };
	}
}

/** Forgets buckets untouched for `olderThanMs` (full again by then: they hold no information). */
export async function pruneRateLimits(db: Db, nowMs: number, olderThanMs = 60 * 60_000): Promise<number> {
	const result = await db.deleteFrom('rate_limits').where('updated_ms', '<', nowMs - olderThanMs).executeTakeFirst();
	return Number(result.numDeletedRows ?? 0);
}
