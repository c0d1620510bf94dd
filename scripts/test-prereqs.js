/*
 * `npm test`'s first step (`pretest`), also .ci/run's: in seconds, before any test, check what
 * the suite needs from the machine — a Chromium for the end-to-end tests, PostgreSQL's server
 * binaries (and, as root, the `postgres` account initdb runs as) for the integration tests,
 * native modules built for the running Node.js — and install what can be installed from here:
 * as root with apt-get (`apt-get update`, then Debian's `chromium` / `postgresql`), or
 * Playwright's own browser where it can be downloaded. Otherwise stop at once with the command
 * to run. Decisions: ./test-prereqs-plan.js. Plain JavaScript, no dependencies needed: it also
 * runs before `npm install` (`--system`: the machine's part only, as .ci/run does first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findPgBinDir, findSystemChromium } from './machine-tools.js';
import { ensureNativeModules } from './native-modules.js';
import { planPrereqs, playwrightFailedMessage } from './test-prereqs-plan.js';

/** @typedef {import('./test-prereqs-plan.js').Found} Found */
/** @typedef {import('./test-prereqs-plan.js').Host} Host */

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const systemOnly = process.argv.includes('--system');
const say = (/** @type {string} */ line) => console.log(`[prereqs] ${line}`);

/** @param {string} command */
function onPath(command) {
	return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

/** Playwright's own Chromium, where `playwright install` put one (needs node_modules). */
async function playwrightChromium() {
	try {
		const { chromium } = await import('playwright-core');
		const file = chromium.executablePath();
		return file && existsSync(file) ? file : null;
	} catch {
		return null;
	}
}

/** @returns {Promise<Found>} */
async function look() {
	const pgAccount = spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0;
	return { chromium: findSystemChromium() ?? (await playwrightChromium()), pgBinDir: findPgBinDir(), pgAccount };
}

/** @param {string} message @returns {never} */
function stop(message) {
	console.error(`\n${message}\n`);
	process.exit(1);
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} [extraEnv]
 */
function run(command, args, extraEnv = {}) {
	const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...extraEnv } });
	return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

const tail = (/** @type {string} */ text) => text.trim().split('\n').slice(-20).join('\n');

/** @param {string[]} packages */
function aptInstall(packages) {
	say(`Installing Debian packages: ${packages.join(' ')} (apt-get update, then apt-get install -y; a minute or two)…`);
	const update = run('apt-get', ['update', '-qq']);
	if (!update.ok) stop(`apt-get update failed:\n${tail(update.output)}`);
	const install = run('apt-get', ['install', '-y', '-qq', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
	if (!install.ok) stop(`apt-get install -y ${packages.join(' ')} failed:\n${tail(install.output)}`);
	const versions = run('dpkg-query', ['-W', '-f', '${Package} ${Version}\n', ...packages]);
	say(`Installed: ${versions.ok ? versions.output.trim().split('\n').join(', ') : packages.join(', ')}`);
}

function createPgAccount() {
	say('Creating the system account "postgres" (initdb and postgres refuse to run as root)…');
	const created = run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
	if (!created.ok) stop(`Could not create the "postgres" account:\n${tail(created.output)}\nRun: useradd --system --user-group postgres`);
	say('Created the system account "postgres".');
}

const started = Date.now();
/** @type {Host} */
const host = { root: process.getuid?.() === 0, apt: onPath('apt-get') };
let found = await look();
const plan = planPrereqs(found, host);
if (plan.stop) stop(plan.stop);

if (plan.aptPackages.length) {
	aptInstall(plan.aptPackages);
	found = await look();
}
if (plan.playwrightInstall) {
	const playwright = path.join(root, 'node_modules', '.bin', 'playwright');
	if (!existsSync(playwright)) stop(`No Chromium here, and Playwright's installer comes with npm install: run npm install first.\n\n${playwrightFailedMessage(found, host)}`);
	say("No Chromium found: trying Playwright's browser download (npx playwright install chromium)…");
	const download = run(playwright, ['install', 'chromium']);
	found = await look();
	if (!download.ok || !found.chromium) {
		const lines = download.output.split('\n');
		const at = lines.findIndex((line) => /^\s*Error\b/.test(line));
		const why = at >= 0 ? lines.slice(at, at + 2).map((line) => line.trim()).join(' ') : tail(download.output).split('\n').pop();
		stop(`Playwright said: ${why}\n\n${playwrightFailedMessage(found, host)}`);
	}
	say(`Installed Playwright's Chromium: ${found.chromium}`);
}
if (host.root && found.pgBinDir && !found.pgAccount) {
	createPgAccount();
	found = await look();
}
const missing = [
	!found.chromium && 'Chromium',
	!found.pgBinDir && 'PostgreSQL server binaries',
	host.root && !found.pgAccount && 'the postgres account'
].filter(Boolean);
if (missing.length) stop(`Still missing after installing: ${missing.join(', ')}.`);

if (!systemOnly) {
	const native = ensureNativeModules(say);
	if (native) stop(native);
}

say(`OK in ${((Date.now() - started) / 1000).toFixed(1)} s: Node.js ${process.version}, Chromium ${found.chromium}, PostgreSQL ${found.pgBinDir}`);
