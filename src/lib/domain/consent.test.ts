import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONSENT_BY, CONSENT_TEXTS, CURRENT_CONSENT_VERSION, consentHash, isConsentVersion } from './consent';

describe('consent texts', () => {
	it('has the current version in both languages', () => {
		expect(CURRENT_CONSENT_VERSION).toBe('2026-11-v1');
		const t = CONSENT_TEXTS[CURRENT_CONSENT_VERSION];
		expect(t.zh.length).toBeGreaterThan(100);
		expect(t.en.length).toBeGreaterThan(100);
		expect(CONSENT_BY).toEqual(['resident', 'guardian', 'agent']);
	});

	it('covers what the resident must be told', () => {
		const { zh, en } = CONSENT_TEXTS['2026-11-v1'];
		for (const word of ['身份证', '照片', '反洗钱', '拒绝', '撤回', '监护人', '代理人', '关系']) expect(zh).toContain(word);
		for (const word of ['ID card', 'photos', 'anti-money-laundering', 'refuse', 'withdraw', 'guardian', 'related']) {
			expect(en).toContain(word);
		}
	});

	it('knows its versions', () => {
		expect(isConsentVersion('2026-11-v1')).toBe(true);
		expect(isConsentVersion('toString')).toBe(false);
	});
});

describe('consentHash', () => {
	it('is the hex SHA-256 of zh + blank line + en (WebCrypto)', async () => {
		const { zh, en } = CONSENT_TEXTS['2026-11-v1'];
		const expected = createHash('sha256').update(`${zh}\n\n${en}`, 'utf8').digest('hex');
		expect(await consentHash('2026-11-v1')).toBe(expected);
		expect(await consentHash('2026-11-v1')).toMatch(/^[0-9a-f]{64}$/);
	});

	it('rejects unknown versions', async () => {
		await expect(consentHash('1999-01-v1')).rejects.toThrow(RangeError);
	});
});
