import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSENT_BY } from '$lib/domain/consent';
import { RESIDENT_ID_ERRORS } from '$lib/domain/resident-id';
import { SCHEMA_ERROR_CODES } from '$lib/domain/schemas';
import { MOBILITY, PHOTO_KINDS, PLACE_TYPES, URGENCY } from '$lib/domain/services';
import { NEXT_STEPS, REQUEST_EVENTS, REQUEST_STATUSES, TRANSITION_ERRORS, VISIT_OUTCOMES } from '$lib/domain/status';
import { ROLES } from '$lib/domain/roles';
import { WORKFLOW_ERROR_CODES } from '$lib/server/workflow/errors';
import { AUDIT_ACTIONS } from '$lib/server/audit';

/** Every Paraglide message file, merged per locale (messages/*.json and messages/<area>/*.json). */
function load(locale: string): Record<string, string> {
	const root = path.resolve('messages');
	const files = [path.join(root, `${locale}.json`)];
	for (const entry of readdirSync(root)) {
		const dir = path.join(root, entry);
		if (statSync(dir).isDirectory()) files.push(path.join(dir, `${locale}.json`));
	}
	const merged: Record<string, string> = {};
	for (const file of files) {
		const { $schema: _schema, ...messages } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
		for (const key of Object.keys(messages)) expect(merged[key], `${key} is defined twice`).toBeUndefined();
		Object.assign(merged, messages);
	}
	return merged;
}

describe('translations', () => {
	const zh = load('zh');
	const en = load('en');

	it('has the same keys in Simplified Chinese and English, none empty', () => {
		expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
		for (const [key, text] of Object.entries(zh)) {
			expect(text.trim(), key).not.toBe('');
			expect(en[key].trim(), key).not.toBe('');
		}
	});

	it('translates every code the domain and the server can send to a page', () => {
		const codes = [
			...SCHEMA_ERROR_CODES,
			...WORKFLOW_ERROR_CODES,
			...RESIDENT_ID_ERRORS.map((r) => `err_resident_id_${r}`),
			...REQUEST_STATUSES.map((s) => `status_${s}`),
			...VISIT_OUTCOMES.map((s) => `outcome_${s}`),
			...NEXT_STEPS.map((s) => `next_${s}`),
			...TRANSITION_ERRORS.map((s) => `err_transition_${s}`),
			...REQUEST_EVENTS.map((s) => `event_${s}`),
			...MOBILITY.map((s) => `mobility_${s}`),
			...PLACE_TYPES.map((s) => `place_${s}`),
			...URGENCY.map((s) => `urgency_${s}`),
			...CONSENT_BY.map((s) => `consent_by_${s}`),
			...PHOTO_KINDS.map((s) => `photo_${s}`),
			...ROLES.map((r) => `role_${r}`),
			...AUDIT_ACTIONS.map((a) => `audit_${a}`)
		];
		const missing = codes.filter((code) => !zh[code]);
		expect(missing).toEqual([]);
	});

	it('uses snake_case identifiers only', () => {
		for (const key of Object.keys(zh)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
	});
});
