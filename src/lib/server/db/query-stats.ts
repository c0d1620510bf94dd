import type { LogConfig } from 'kysely';

/*
 * A diagnostic for performance work: with DB_QUERY_STATS=1 the process counts its queries by
 * statement shape and prints the 25 most frequent (count, total and mean ms) when it exits.
 * Off by default (no logger at all). Prints SQL text only, never parameters (personal data).
 */
export function queryStatsLogger(): LogConfig | undefined {
	if (process.env.DB_QUERY_STATS !== '1') return undefined;
	const stats = new Map<string, { n: number; ms: number }>();
	process.once('exit', () => {
		const rows = [...stats].sort((a, b) => b[1].n - a[1].n).slice(0, 25);
		const total = [...stats.values()].reduce((s, v) => s + v.n, 0);
		console.log(`[query-stats] ${total} queries`);
		for (const [q, { n, ms }] of rows) console.log(`[query-stats] ${String(n).padStart(7)} ${ms.toFixed(0).padStart(7)} ms ${(ms / n).toFixed(2).padStart(6)} ms  ${q.slice(0, 160)}`);
	});
	return (event) => {
		const key = event.query.sql.replace(/\s+/g, ' ');
		const s = stats.get(key) ?? { n: 0, ms: 0 };
		s.n++;
		s.ms += event.queryDurationMillis;
		stats.set(key, s);
	};
}
