// Where the test suite finds the machine's own tools: Debian's Chromium and PostgreSQL's server
// binaries. Plain JavaScript so that scripts/test-prereqs.js runs before `npm install` too.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Where Debian (and Ubuntu's older packages) put Chromium. */
export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The first of SYSTEM_CHROMIUM_PATHS that exists, or undefined. */
export function findSystemChromium() {
	return SYSTEM_CHROMIUM_PATHS.find((p) => existsSync(p));
}

/**
 * Folder holding initdb + postgres, or null. Newest Debian major first, then PATH.
 * @returns {string | null}
 */
export function findPgBinDir() {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	const candidates = majors.map((major) => path.join(root, major, 'bin'));
	candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
	return (
		candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) ?? null
	);
}
