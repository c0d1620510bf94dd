import { describe, expect, it } from 'vitest';
import { BadFormError, FORM_LIMITS, formToObject } from './form';

const formOf = (entries: [string, string][]) => {
	const form = new FormData();
	for (const [k, v] of entries) form.append(k, v);
	return form;
};
const codeOf = (run: () => unknown) => {
	try {
		run();
	} catch (err) {
		return err instanceof BadFormError ? err.code : `other: ${String(err)}`;
	}
	return 'accepted';
};

describe('formToObject', () => {
	it('nests dotted names, builds arrays from indices and repeated names', () => {
		const form = new FormData();
		form.append('resident.name', '王秀英');
		form.append('windows.0.date', '2026-12-01');
		form.append('windows.1.date', '2026-12-02');
		form.append('services', 'pin_reset');
		form.append('services', 'card_opening');
		form.append('tags[]', 'one');
		const out = formToObject(form);
		expect(out).toEqual({
			resident: { name: '王秀英' },
			windows: [{ date: '2026-12-01' }, { date: '2026-12-02' }],
			services: ['pin_reset', 'card_opening'],
			tags: ['one']
		});
	});

	// Issue 11: `services.4294967294` made a 4-billion-slot sparse array the schema then walked
	// (4.5 GB, a crash after 65 s). Indices and repeats are bounded by what the form holds.
	it('refuses huge and sparse indices before building anything', () => {
		const started = performance.now();
		for (const name of ['services.4294967294', 'stop.2000000', 'requiredPhotos.2000000', 'windows.100.date', 'a.b.99999999999999999999']) {
			expect(codeOf(() => formToObject(formOf([[name, 'x']]))), name).toBe('hardening_err_form_too_big');
		}
		expect(performance.now() - started).toBeLessThan(1000);
		expect(codeOf(() => formToObject(formOf([['windows.10.date', 'x']]), { maxListLength: 10 }))).toBe('hardening_err_form_too_big');
		expect(formToObject(formOf([['windows.9.date', 'x']]), { maxListLength: 10 }).windows).toHaveLength(10);
		expect(codeOf(() => formToObject(formOf([['windows.01.date', 'x']])))).toBe('err_bad_form');
	});

	it('refuses too many repeats, fields, long names, deep names and prototype keys', () => {
		const repeats = Array.from({ length: FORM_LIMITS.maxListLength + 1 }, (): [string, string] => ['services', 'x']);
		expect(codeOf(() => formToObject(formOf(repeats)))).toBe('hardening_err_form_too_big');
		expect(formToObject(formOf(repeats.slice(1))).services).toHaveLength(FORM_LIMITS.maxListLength);
		const fields = Array.from({ length: FORM_LIMITS.maxFields + 1 }, (_, i): [string, string] => [`f${i}`, 'x']);
		expect(codeOf(() => formToObject(formOf(fields)))).toBe('hardening_err_form_too_big');
		expect(codeOf(() => formToObject(formOf([['n'.repeat(FORM_LIMITS.maxNameLength + 1), 'x']])))).toBe('err_bad_form');
		expect(codeOf(() => formToObject(formOf([['a.b.c.d.e.f.g', 'x']])))).toBe('err_bad_form');
		for (const name of ['__proto__.x', 'a.constructor.prototype', 'resident.__proto__']) expect(codeOf(() => formToObject(formOf([[name, 'x']]))), name).toBe('err_bad_form');
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});
});
