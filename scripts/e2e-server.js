// Starts the built server for the end-to-end tests on a fresh, throwaway data folder with demo
// data. The folder is fixed (E2E_DATA_DIR, default .tmp/e2e-data) so tests can open the same
// SQLite file read-only to check what the server wrote (audit log, no half-saved rows).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = path.resolve(root, process.env.E2E_DATA_DIR || '.tmp/e2e-data');
if (process.env.E2E_KEEP_DATA !== '1') rmSync(dataDir, { recursive: true, force: true }); // E2E_KEEP_DATA=1: a restart keeps the data
mkdirSync(dataDir, { recursive: true });
process.env.DATA_DIR = dataDir;
process.env.SEED_DEMO = '1';
process.env.TILE_URL ??= ''; // no external tile server in tests: the form must work without one
console.log(`e2e server data folder: ${dataDir}`);
await import(path.join(root, 'build', 'index.js'));
