/*
 * What `npm test` needs from the machine, and what to do when something is missing: pure
 * decisions (no I/O), taken by scripts/test-prereqs.js and tested in
 * tests/integration/test-prereqs.test.ts.
 */

/**
 * What the machine has (found by scripts/test-prereqs.js).
 * @typedef {object} Found
 * @property {string | null} chromium a Chromium the end-to-end tests can start (Debian's or Playwright's own)
 * @property {string | null} pgBinDir the folder with PostgreSQL's `initdb` and `postgres`
 * @property {boolean} pgAccount whether the `postgres` account exists (initdb and postgres refuse to run as root)
 */

/**
 * Who runs the tests and with which tools.
 * @typedef {object} Host
 * @property {boolean} root
 * @property {boolean} apt `apt-get` on PATH (Debian and its derivatives)
 */

/**
 * @typedef {object} Plan
 * @property {string[]} aptPackages Debian packages to install (as root with apt-get), after `apt-get update`
 * @property {boolean} playwrightInstall try Playwright's own browser download (`playwright install chromium`)
 * @property {string | null} stop non-null: nothing can be installed from here; stop at once with this message
 */

const CHROMIUM_WHAT = "Chromium (end-to-end tests): none at /usr/bin/chromium, /usr/bin/chromium-browser or in Playwright's browser folder";
const PG_WHAT = 'PostgreSQL server binaries (integration tests): no initdb and postgres in /usr/lib/postgresql/*/bin or on PATH';

/**
 * The one command that would bring the missing pieces on this host.
 * @param {Found} found
 * @param {Host} host
 */
export function manualCommand(found, host) {
	const packages = [...(found.chromium ? [] : ['chromium']), ...(found.pgBinDir ? [] : ['postgresql'])];
	if (host.apt) {
		const sudo = host.root ? '' : 'sudo ';
		return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
	}
	const parts = [];
	if (!found.chromium) parts.push('npx playwright install --with-deps chromium');
	if (!found.pgBinDir) parts.push("install PostgreSQL's server package so that initdb and postgres are on PATH");
	return parts.join('; then ');
}

/**
 * @param {Found} found
 * @param {Host} host
 * @param {string} [note]
 */
function stopMessage(found, host, note = '') {
	const lines = ['npm test needs what this machine lacks:'];
	if (!found.chromium) lines.push(`  - ${CHROMIUM_WHAT}`);
	if (!found.pgBinDir) lines.push(`  - ${PG_WHAT}`);
	if (note) lines.push(note);
	lines.push('Install with:', `  ${manualCommand(found, host)}`, 'then run npm test again.');
	return lines.join('\n');
}

/**
 * @param {Found} found
 * @param {Host} host
 * @returns {Plan}
 */
export function planPrereqs(found, host) {
	/** @type {Plan} */
	const plan = { aptPackages: [], playwrightInstall: false, stop: null };
	if (host.root && host.apt) {
		if (!found.chromium) plan.aptPackages.push('chromium');
		// Debian's postgresql package creates the postgres account itself; a missing account next
		// to present binaries is created by the caller (as root it can), not planned here.
		if (!found.pgBinDir) plan.aptPackages.push('postgresql');
		return plan;
	}
	// Without root and apt-get, PostgreSQL cannot be installed from here: stop before anything else.
	if (!found.pgBinDir) {
		plan.stop = stopMessage(found, host, host.root ? '(apt-get is not on PATH.)' : '(Not root: installing needs sudo.)');
		return plan;
	}
	if (!found.chromium) plan.playwrightInstall = true;
	return plan;
}

/**
 * The message after Playwright's download failed (no network, or no browser build for this OS).
 * @param {Found} found
 * @param {Host} host
 */
export function playwrightFailedMessage(found, host) {
	return stopMessage(found, host, "(Playwright's browser download failed: no network here, or no build for this system.)");
}
