import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '$lib/server/audit';
import { AUDIT_ENTITIES } from '$lib/server/repos/audit';

/*
 * Issue 13, bug 3: the admin overview showed raw codes (evidence_accept, sync_apply, device…).
 * This reads every audit write in src and asks for a label of its action and entity in both
 * languages, so a new action cannot reach a page untranslated.
 */

function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir)) {
		const file = path.join(dir, entry);
		if (statSync(file).isDirectory()) {
			if (entry !== 'paraglide') out.push(...sourceFiles(file));
		} else if (/\.(ts|svelte)$/.test(entry) && !/\.test\.ts$/.test(entry)) out.push(file);
	}
	return out;
}

/** The text between the `(` at `open` and its matching `)`. */
function callBody(text: string, open: number): string {
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		if (text[i] === '(') depth++;
		else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
	}
	return text.slice(open + 1);
}

/** Arguments at the call's top level (commas inside (), {}, [] do not split). */
function topLevelArgs(body: string): string[] {
	const args: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if ('({['.includes(c)) depth++;
		else if (')}]'.includes(c)) depth--;
		else if (c === ',' && depth === 0) {
			args.push(body.slice(start, i));
			start = i + 1;
		}
	}
	args.push(body.slice(start));
	return args.map((a) => a.trim());
}

/** The codes an expression can evaluate to: a literal, or the branches of a ternary. */
function codesOf(expr: string): string[] {
	const branches = expr.includes('?') ? expr.slice(expr.indexOf('?') + 1) : expr;
	if (!expr.includes('?') && !/^'[^']*'$/.test(expr.trim())) return [];
	return [...branches.matchAll(/'([^']*)'/g)].map((x) => x[1]);
}

/** Every action and entity code written to the audit log by the sources. */
function writtenCodes(): { actions: Set<string>; entities: Set<string>; calls: number } {
	const actions = new Set<string>();
	const entities = new Set<string>();
	let calls = 0;
	for (const file of sourceFiles(path.resolve('src'))) {
		const text = readFileSync(file, 'utf8');
		for (const call of text.matchAll(/\b(recordAudit|appendAudit|audit)\(/g)) {
			calls++;
			const body = callBody(text, call.index + call[0].length - 1);
			for (const x of body.matchAll(/\baction:\s*([^,\n]+)/g)) codesOf(x[1]).forEach((c) => actions.add(c));
			for (const x of body.matchAll(/\bentity:\s*([^,\n]+)/g)) codesOf(x[1]).forEach((c) => entities.add(c));
			// A helper taking the action as a plain argument (sync/apply.ts: audit(tx, ctx, m, target, 'sync_reject', …)).
			for (const arg of topLevelArgs(body)) if (!arg.startsWith('{')) codesOf(arg).forEach((c) => actions.add(c));
		}
	}
	return { actions, entities, calls };
}

function load(locale: string): Record<string, string> {
	const root = path.resolve('messages');
	const merged: Record<string, string> = {};
	for (const entry of ['', ...readdirSync(root).filter((e) => statSync(path.join(root, e)).isDirectory())]) {
		Object.assign(merged, JSON.parse(readFileSync(path.join(root, entry, `${locale}.json`), 'utf8')));
	}
	return merged;
}

describe('audit labels', () => {
	const written = writtenCodes();

	it('finds the audit writes in the sources (the scan itself works)', () => {
		expect(written.calls).toBeGreaterThan(20);
		for (const code of ['evidence_accept', 'evidence_send_back', 'sync_apply', 'sync_reject', 'sync_discard', 'photo_upload', 'device_revoke', 'device_wiped', 'user_reactivate', 'user_deactivate', 'login']) {
			expect(written.actions, code).toContain(code);
		}
		expect(written.entities).toContain('device');
	});

	it('writes only the actions and entities that are declared', () => {
		expect([...written.actions].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
		expect([...written.entities].filter((e) => !(AUDIT_ENTITIES as readonly string[]).includes(e))).toEqual([]);
	});

	it.each(['zh', 'en'])('labels every action and entity in %s', (locale) => {
		const messages = load(locale);
		const actions = new Set([...AUDIT_ACTIONS, ...written.actions, 'sync_group']);
		expect([...actions].filter((a) => !messages[`audit_${a}`]?.trim())).toEqual([]);
		const entities = new Set([...AUDIT_ENTITIES, ...written.entities]);
		expect([...entities].filter((e) => !messages[`audit_entity_${e}`]?.trim())).toEqual([]);
	});
});
