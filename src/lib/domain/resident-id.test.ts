import { describe, expect, it } from 'vitest';
import { checkDigit, makeResidentId, validateResidentId } from './resident-id';

const TODAY = '2026-11-27';

describe('checkDigit', () => {
	// Published examples of GB 11643-1999 numbers.
	it.each([
		['11010519491231002', 'X'],
		['44052418800101001', '4'],
		['33010619700101001', '9'] // hand-computed: Σ = 146, 146 mod 11 = 3 → '9'
	])('%s → %s', (first17, digit) => {
		expect(checkDigit(first17)).toBe(digit);
	});

	it('maps every remainder 0..10 to 1 0 X 9 8 7 6 5 4 3 2', () => {
		const seen = new Set<string>();
		for (let seq = 0; seq < 200 && seen.size < 11; seq++) {
			seen.add(checkDigit(`3301091940030${String(seq).padStart(4, '0')}`));
		}
		expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
	});

	it('throws on anything but 17 digits', () => {
		expect(() => checkDigit('1234')).toThrow(RangeError);
		expect(() => checkDigit('1101051949123100X')).toThrow(RangeError);
	});
});

describe('validateResidentId', () => {
	it('accepts a valid ID and derives birth date and sex', () => {
		expect(validateResidentId('11010519491231002X', TODAY)).toEqual({
			ok: true,
			value: '11010519491231002X',
			birthDate: '1949-12-31',
			sex: 'female'
		});
		const male = makeResidentId('330109', '1938-02-14', '011');
		expect(validateResidentId(male, TODAY)).toMatchObject({ ok: true, sex: 'male', birthDate: '1938-02-14' });
	});

	it('normalises lowercase x and surrounding spaces', () => {
		const r = validateResidentId('  11010519491231002x \t', TODAY);
		expect(r).toMatchObject({ ok: true, value: '11010519491231002X' });
	});

	it.each([
		['', 'empty'],
		['   ', 'empty'],
		['11010519491231002', 'length'],
		['11010519491231002X1', 'length'],
		['110105194912310 2X', 'format'], // inner space
		['1101051949123100XX', 'format'],
		['01010519491231002X', 'format'], // no address code starts with 0
		['11010519491232002X', 'birth_date'], // 32 December
		['11010519490229002X', 'birth_date'], // 1949 is not a leap year
		['11010518991231002X', 'birth_date'], // before 1900
		['11010520261128002X', 'birth_date'], // tomorrow
		['110105194912310021', 'check_digit']
	])('%j → %s', (raw, reason) => {
		expect(validateResidentId(raw, TODAY)).toEqual({ ok: false, reason });
	});

	it('accepts a birthday of today and a leap day', () => {
		expect(validateResidentId(makeResidentId('330109', TODAY, '002'), TODAY).ok).toBe(true);
		expect(validateResidentId(makeResidentId('330109', '1948-02-29', '002'), TODAY).ok).toBe(true);
	});

	it('defaults "today" to the current date in Asia/Shanghai', () => {
		expect(validateResidentId(makeResidentId('330109', '2000-01-01', '002')).ok).toBe(true);
		expect(validateResidentId(makeResidentId('330109', '2999-01-01', '002'))).toEqual({
			ok: false,
			reason: 'birth_date'
		});
	});
});

describe('makeResidentId', () => {
	it('appends the check digit and accepts both date forms', () => {
		expect(makeResidentId('110105', '1949-12-31', '002')).toBe('11010519491231002X');
		expect(makeResidentId('110105', '19491231', '002')).toBe('11010519491231002X');
	});

	it('round-trips through validation for many inputs', () => {
		for (let i = 0; i < 300; i++) {
			const seq = String(i).padStart(3, '0');
			const id = makeResidentId('330109', `19${30 + (i % 60)}-0${1 + (i % 9)}-1${i % 10}`, seq);
			const r = validateResidentId(id, TODAY);
			expect(r.ok, id).toBe(true);
			if (r.ok) expect(r.sex).toBe(i % 2 === 1 ? 'male' : 'female');
		}
	});

	it('rejects malformed parts', () => {
		expect(() => makeResidentId('33010', '1940-01-01', '001')).toThrow(RangeError);
		expect(() => makeResidentId('330109', '1940-1-1', '001')).toThrow(RangeError);
		expect(() => makeResidentId('330109', '1940-01-01', '01')).toThrow(RangeError);
	});
});
