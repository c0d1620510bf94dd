// Starts the built server for the end-to-end tests on a fresh, throwaway data folder with demo
// data. The folder is fixed (E2E_DATA_DIR, default .tmp/e2e-data) so tests can open the same
// SQLite file read-only to check what the server wrote (audit log, no half-saved rows).
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { protectEveryResponse } from '../src/lib/server/security/base-headers.js';
import { boundServer } from './server-limits.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = path.resolve(root, process.env.E2E_DATA_DIR || '.tmp/e2e-data');
if (process.env.E2E_KEEP_DATA !== '1') rmSync(dataDir, { recursive: true, force: true }); // E2E_KEEP_DATA=1: a restart keeps the data
mkdirSync(dataDir, { recursive: true });
process.env.DATA_DIR = dataDir;
process.env.SEED_DEMO = '1';
process.env.BODY_SIZE_LIMIT ??= '6M'; // as scripts/start.js: photos (1 MB) and sync pushes (5 MB)
process.env.TILE_URL ??= ''; // no external tile server in tests: the form must work without one
// Everything the server prints also goes to a log file, which tests/e2e/log-scan.ts searches
// for personal data and secrets after the run (E2E_LOG_DIR, set by playwright.config.ts).
const logDir = path.resolve(root, process.env.E2E_LOG_DIR || '.tmp/e2e-logs');
mkdirSync(logDir, { recursive: true });
const logFile = path.join(logDir, `server-${process.env.PORT || 'default'}.log`);
if (process.env.E2E_KEEP_DATA !== '1') writeFileSync(logFile, '');
for (const stream of [process.stdout, process.stderr]) {
	const write = stream.write.bind(stream);
	stream.write = (chunk, ...rest) => {
		try {
			appendFileSync(logFile, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
		} catch {
			/* the log copy must never stop the server */
		}
		// The one line per request (issue 12) goes to the file only: the scan reads it, the test
		// run's output stays readable.
		if (typeof chunk === 'string' && chunk.startsWith('[req] ')) return true;
		return write(chunk, ...rest);
	};
}
console.log(`e2e server data folder: ${dataDir}`);
// The hostile-input suite reads this process's memory (/proc/<pid>/status) before and after.
writeFileSync(path.join(logDir, `server-${process.env.PORT || 'default'}.pid`), String(process.pid));
// …and, on SIGUSR2, its memory after a full collection (playwright.config.ts starts it with
// --expose-gc), as process.memoryUsage() JSON: what the server holds on to once its garbage is
// gone. (Its RSS says less: V8 keeps the heap it grew for a burst of multi-megabyte bodies
// committed after collecting — Node 24: heap used 25 → 28 MB while RSS went 149 → 367 MB.)
process.on('SIGUSR2', () => {
	globalThis.gc?.();
	globalThis.gc?.();
	writeFileSync(path.join(logDir, `server-${process.env.PORT || 'default'}.mem`), JSON.stringify(process.memoryUsage()));
});
const { server } = await import(path.join(root, 'build', 'index.js'));
// Static files and the prerendered shell get the security headers too (as in scripts/start.js).
boundServer(server.server);
protectEveryResponse(server.server, {
	https: (process.env.ORIGIN ?? '').startsWith('https:'),
	tileUrl: process.env.TILE_URL,
	prerenderedDir: path.join(root, 'build', 'prerendered')
});
