import { describe, expect, it } from 'vitest';
import { formToObject } from './form';

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
});
