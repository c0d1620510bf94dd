/*
 * What `npm test` needs from the machine, and what to do when something is missing: pure
 * decisions (no I/O), taken by scripts/test-prereqs.ts and tested in
 * tests/integration/test-prereqs.test.ts.
 */

/** What the machine has (found by scripts/test-prereqs.ts). */
export interface Found {
	/** A Chromium the end-to-end tests can start (Debian's or Playwright's own), or null. */
	chromium: string | null;
	/** The folder with PostgreSQL's `initdb` and `postgres`, or null. */
	pgBinDir: string | null;
	/** Whether the `postgres` account exists (initdb and postgres refuse to run as root). */
	pgAccount: boolean;
}

/** Who runs the tests and with which tools. */
export interface Host {
	root: boolean;
	/** `apt-get` on PATH (Debian and its derivatives). */
	apt: boolean;
}

export interface Plan {
	/** Debian packages to install (as root with apt-get), after `apt-get update`. */
	aptPackages: string[];
	/** Try Playwright's own browser download (`playwright install chromium`). */
	playwrightInstall: boolean;
	/** Non-null: nothing can be installed from here; stop at once with this message. */
	stop: string | null;
}

const CHROMIUM_WHAT = 'Chromium (end-to-end tests): none at /usr/bin/chromium, /usr/bin/chromium-browser or in Playwright\'s browser folder';
const PG_WHAT = 'PostgreSQL server binaries (integration tests): no initdb and postgres in /usr/lib/postgresql/*/bin or on PATH';

/** The one command that would bring the missing pieces on this host. */
export function manualCommand(found: Found, host: Host): string {
	const packages = [...(found.chromium ? [] : ['chromium']), ...(found.pgBinDir ? [] : ['postgresql'])];
	if (host.apt) {
		const sudo = host.root ? '' : 'sudo ';
		return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
	}
	const parts: string[] = [];
	if (!found.chromium) parts.push('npx playwright install --with-deps chromium');
	if (!found.pgBinDir) parts.push("install PostgreSQL's server package so that initdb and postgres are on PATH");
	return parts.join('; then ');
}

function stopMessage(found: Found, host: Host, note = ''): string {
	const lines = ['npm test needs what this machine lacks:'];
	if (!found.chromium) lines.push(`  - ${CHROMIUM_WHAT}`);
	if (!found.pgBinDir) lines.push(`  - ${PG_WHAT}`);
	if (note) lines.push(note);
	lines.push('Install with:', `  ${manualCommand(found, host)}`, 'then run npm test again.');
	return lines.join('\n');
}

export function planPrereqs(found: Found, host: Host): Plan {
	const plan: Plan = { aptPackages: [], playwrightInstall: false, stop: null };
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

/** The message after Playwright's download failed (no network, or no browser build for this OS). */
export function playwrightFailedMessage(found: Found, host: Host): string {
	return stopMessage(found, host, "(Playwright's browser download failed: no network here, or no build for this system.)");
}
