/**
 * 18-digit PRC resident identity number (GB 11643-1999):
 *   6 digits address code · 8 digits birth date YYYYMMDD · 3 digits sequence (odd = male) ·
 *   1 check character (ISO 7064 MOD 11-2, value 10 written as 'X').
 *
 * We do not check the address code against a table: codes change with redistricting and old IDs
 * keep the code of issue, so a table would reject valid cards. We do reject a leading 0 (no code
 * starts with 0; usually a typo).
 */

import { isValidDate, localDate } from './calendar';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432'; // index = (Σ digit·weight) mod 11

export const RESIDENT_ID_ERRORS = ['empty', 'length', 'format', 'birth_date', 'check_digit'] as const;
export type ResidentIdError = (typeof RESIDENT_ID_ERRORS)[number];

export type ResidentIdResult =
	| { ok: true; value: string; birthDate: string; sex: 'male' | 'female' }
	| { ok: false; reason: ResidentIdError };

/** Check character for the first 17 digits. Throws on malformed input (a programming error). */
export function checkDigit(first17: string): string {
	if (!/^\d{17}$/.test(first17)) throw new RangeError('checkDigit needs exactly 17 digits');
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
	return CHECK_CHARS[sum % 11];
}

/**
 * Validate and normalise a resident ID typed by a person: surrounding spaces and a lowercase
 * 'x' are accepted. `today` (YYYY-MM-DD, Asia/Shanghai) is injectable for tests; the birth date
 * must be a real date from 1900-01-01 up to today.
 */
export function validateResidentId(raw: string, today?: string): ResidentIdResult {
	const value = (raw ?? '').trim().toUpperCase();
	if (value === '') return { ok: false, reason: 'empty' };
	if (value.length !== 18) return { ok: false, reason: 'length' };
	if (!/^[1-9]\d{16}[\dX]$/.test(value)) return { ok: false, reason: 'format' };

	const ymd = value.slice(6, 14);
	const birthDate = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
	const now = today ?? localDate(new Date().toISOString());
	if (!isValidDate(birthDate) || birthDate < '1900-01-01' || birthDate > now) {
		return { ok: false, reason: 'birth_date' };
	}
	if (checkDigit(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'check_digit' };

	const sex = (value.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female';
	return { ok: true, value, birthDate, sex };
}

/**
 * Build a valid ID (demo data and tests): area code (6 digits), birth date (`YYYY-MM-DD` or
 * `YYYYMMDD`), sequence (3 digits; odd = male, even = female).
 */
export function makeResidentId(areaCode6: string, birthDate: string, seq3: string): string {
	const ymd = birthDate.replaceAll('-', '');
	if (!/^[1-9]\d{5}$/.test(areaCode6)) throw new RangeError('areaCode6 must be 6 digits');
	if (!/^\d{8}$/.test(ymd)) throw new RangeError('birthDate must be YYYY-MM-DD');
	if (!/^\d{3}$/.test(seq3)) throw new RangeError('seq3 must be 3 digits');
	const first17 = areaCode6 + ymd + seq3;
	return first17 + checkDigit(first17);
}
