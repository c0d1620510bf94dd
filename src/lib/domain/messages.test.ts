import { describe, expect, it } from 'vitest';
import { CONSENT_BY } from './consent';
import messages from './messages-todo.json';
import { RESIDENT_ID_ERRORS } from './resident-id';
import { SCHEMA_ERROR_CODES } from './schemas';
import { MOBILITY, PHOTO_KINDS, PLACE_TYPES, URGENCY } from './services';
import { NEXT_STEPS, REQUEST_EVENTS, REQUEST_STATUSES, TRANSITION_ERRORS, VISIT_OUTCOMES } from './status';

const all = messages as Record<string, { zh: string; en: string }>;

describe('messages-todo.json', () => {
	const expected = [
		...SCHEMA_ERROR_CODES,
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
		...PHOTO_KINDS.map((s) => `photo_${s}`)
	];

	it('has every code the domain emits, in both languages', () => {
		for (const code of expected) {
			expect(all[code], code).toBeDefined();
			expect(all[code].zh, code).toMatch(/[\u4e00-\u9fff]/);
			expect(all[code].en.length, code).toBeGreaterThan(1);
		}
	});

	it('uses snake_case identifiers only', () => {
		for (const code of Object.keys(all)) expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
	});
});
