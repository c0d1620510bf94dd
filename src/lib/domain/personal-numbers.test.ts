import { describe, expect, it } from 'vitest';
import { findPersonalNumbers, maskPersonalNumbers } from './personal-numbers';

describe('personal numbers in free text', () => {
	it('finds ID and mobile numbers next to Chinese text and punctuation', () => {
		const text = '居民身份证33010919450312002X，电话13912345678；联系人(15857112345)';
		expect(findPersonalNumbers(text).map((f) => [f.kind, f.value])).toEqual([
			['id_number', '33010919450312002X'],
			['phone', '13912345678'],
			['phone', '15857112345']
		]);
		expect(maskPersonalNumbers(text)).toBe('居民身份证[id]，电话[phone]；联系人([phone])');
	});

	it('leaves UUIDs alone, also those whose last group holds an 11-digit run', () => {
		// Taken from a real run: the last group holds "18482839031", which looks like a mobile number.
		const ids = ['8ad82a55-e730-4ee5-befd-618482839031', 'ad7d32ce-84bb-4e5b-906a-a13912345678', '0b3c0d6e-1111-4222-8333-13912345678f'];
		for (const id of ids) {
			const text = `{"visitId":"${id}","at":"2026-10-26"}`;
			expect(findPersonalNumbers(text)).toEqual([]);
			expect(maskPersonalNumbers(text)).toBe(text);
		}
	});

	it('leaves SHA-256 hex alone but still finds a number right after it', () => {
		const hash = 'a13912345678b'.padEnd(64, 'c');
		expect(maskPersonalNumbers(`sha ${hash} tel 13912345678`)).toBe(`sha ${hash} tel [phone]`);
	});

	it('does not take longer digit runs or timestamps for numbers', () => {
		for (const text of ['1391234567890', 'at 1764307200000 ms', '2026-11-28T13:11:33Z', 'R2026-0042']) {
			expect(findPersonalNumbers(text)).toEqual([]);
		}
	});
});
