// Starts the built server for the end-to-end tests on a fresh, throwaway data folder with demo data.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.env.DATA_DIR ||= mkdtempSync(path.join(os.tmpdir(), 'doorstep-e2e-'));
process.env.SEED_DEMO = '1';
process.env.TILE_URL ??= ''; // no external tile server in tests: the form must work without one
console.log(`e2e server data folder: ${process.env.DATA_DIR}`);
await import(path.join(root, 'build', 'index.js'));
