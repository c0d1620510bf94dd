import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES_FILE, generateCodes } from '../../../scripts/i18n-codes.js';
import { codes } from './codes.generated.js';
import { photoKindLabel, t } from './labels';
import { PHOTO_KINDS } from '$lib/domain/photos';

describe('messages looked up by name (codes.generated.js)', () => {
	it('is up to date with the sources (npm run i18n rewrites it)', () => {
		expect(readFileSync(CODES_FILE, 'utf8')).toBe(generateCodes().text);
	});

	it('holds the codes the server and the domain send, and not the whole catalogue', () => {
		for (const code of ['err_unknown', 'err_transition_already_decided', 'sync_err_malformed', 'hardening_err_form_too_big', 'security_err_rate_limited', 'status_approved', 'role_field_staff', 'audit_sync_apply']) {
			expect(codes[code], code).toBeTypeOf('function');
		}
		const { count, of } = generateCodes();
		expect(count).toBeLessThan(of / 2);
	});

	it('translates a known code, an unknown one generically, and every photo kind', () => {
		expect(t('status_approved')).not.toBe(t('err_unknown'));
		expect(t('no_such_code')).toBe(t('err_unknown'));
		expect(t('__proto__')).toBe(t('err_unknown'));
		for (const kind of PHOTO_KINDS) expect(photoKindLabel(kind)).not.toBe(t('err_unknown'));
	});
});
