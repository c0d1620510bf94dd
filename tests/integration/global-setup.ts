/*
 * Vitest globalSetup: one throw-away PostgreSQL cluster for the whole run; each test file
 * creates its own database in it (see ./test-db.ts), so files can run in parallel.
 * Without PostgreSQL binaries the PostgreSQL cases are skipped with the reason printed —
 * except on CI (`CI` set), where a missing PostgreSQL must fail the run, not pass it quietly.
 */
import type { TestProject } from 'vitest/node';
import { findPgBinDir, startPgCluster } from '../../scripts/pg-test-cluster';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Admin URL of the test cluster, or null when PostgreSQL cases are skipped. */
		pgUrl: string | null;
		/** Why PostgreSQL cases are skipped (null when they run). */
		pgSkipReason: string | null;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	if (!findPgBinDir()) {
		const reason =
			'PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin or PATH; ' +
			'install them (Debian: apt-get install postgresql) to run the PostgreSQL cases.';
		if (process.env.CI) throw new Error(`${reason} (CI is set, so this is an error.)`);
		console.warn(`\n[integration] Skipping PostgreSQL cases: ${reason}\n`);
		project.provide('pgUrl', null);
		project.provide('pgSkipReason', reason);
		return async () => {};
	}
	const cluster = await startPgCluster();
	project.provide('pgUrl', cluster.url);
	project.provide('pgSkipReason', null);
	return () => cluster.stop();
}
