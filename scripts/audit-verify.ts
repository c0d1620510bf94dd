// `npm run audit:verify`: checks every audit hash chain of the configured database (the same
// environment as the server: DATABASE_URL or DATA_DIR) and prints "OK, N entries" or the first
// broken link of each broken chain. Exit code 0 when intact, 1 when broken, 2 when it cannot run.
import { config } from '$lib/server/config';
import { openDatabase } from '$lib/server/db';
import { verifyAuditChains } from '$lib/server/audit-chain/store';
import { formatChainReport } from '$lib/server/audit-chain/verify-chains';

async function main(): Promise<number> {
	const { databaseUrl, dataDir } = config();
	const db = await openDatabase({ databaseUrl, dataDir });
	try {
		const report = await verifyAuditChains(db);
		const text = formatChainReport(report);
		if (report.ok) console.log(text);
		else console.error(text);
		return report.ok ? 0 : 1;
	} finally {
		await db.destroy();
	}
}

main().then(
	(code) => process.exit(code),
	(err: unknown) => {
		console.error(`audit:verify could not run: ${err instanceof Error ? err.message : String(err)}`);
		process.exit(2);
	}
);
