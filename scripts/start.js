// `npm start`: build the app when there is no build (or the sources are newer), then serve it
// with adapter-node, which honours PORT, HOST and ORIGIN. Defaults: port 3000, data in ./data.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TILE_URL, protectEveryResponse } from '../src/lib/server/security/base-headers.js';
import { ensureNativeModules } from './native-modules.js';
import { boundServer } from './server-limits.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const buildEntry = path.join(root, 'build', 'index.js');

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name === 'paraglide') continue; // generated during the build itself
			newest = Math.max(newest, newestMtime(full));
		} else newest = Math.max(newest, statSync(full).mtimeMs);
	}
	return newest;
}

function buildIsStale() {
	if (!existsSync(buildEntry)) return true;
	const built = statSync(buildEntry).mtimeMs;
	const sources = ['src', 'static', 'messages'].map((d) => path.join(root, d)).filter(existsSync);
	return sources.some((dir) => newestMtime(dir) > built);
}

// better-sqlite3 is built for one Node.js: after a switch (20 ⇄ 24) it is rebuilt (or its kept
// build for this Node put back) here, instead of the server crashing at its first query.
const nativeProblem = ensureNativeModules();
if (nativeProblem) {
	console.error(nativeProblem);
	process.exit(1);
}

if (buildIsStale()) {
	console.log('Building Doorstep (first start or changed sources)…');
	const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
// adapter-node assumes https when ORIGIN is unset, and SvelteKit then refuses every form post
// from http://localhost as cross-site. For the local demo the origin is this machine; behind a
// proxy or for tablets on the network, set ORIGIN to the address they use.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// adapter-node refuses bodies over 512 KB by default: above the photo upload (1 MB) and sync
// push (5 MB) limits, so those endpoints can refuse with their own translated reasons.
process.env.BODY_SIZE_LIMIT ??= '6M';
// SIGTERM: stop accepting, let requests in flight finish for at most this many seconds, then close
// the database pool (hooks.server.ts). adapter-node's own default is 30.
process.env.SHUTDOWN_TIMEOUT ??= '20';
const host = process.env.HOST || 'localhost';
console.log(`Doorstep listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${process.env.PORT}`);
const { server } = await import(buildEntry);
// adapter-node serves build assets and the prerendered field shell before any SvelteKit hook
// runs: give those responses the security headers too. (Right after the import, before the
// event loop turns: no request has been handled yet.)
boundServer(server.server);
protectEveryResponse(server.server, {
	https: process.env.ORIGIN.startsWith('https:'),
	tileUrl: process.env.TILE_URL ?? DEFAULT_TILE_URL,
	prerenderedDir: path.join(root, 'build', 'prerendered')
});
