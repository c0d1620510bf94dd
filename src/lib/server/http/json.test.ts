import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, parseBoundedJson } from './json';

describe('parseBoundedJson', () => {
	it('parses ordinary JSON and refuses what is not JSON', () => {
		expect(parseBoundedJson('{"a":[1,{"b":"[[[["}]}')).toEqual({ ok: true, value: { a: [1, { b: '[[[[' }] } });
		expect(parseBoundedJson('{"a":')).toEqual({ ok: false });
	});

	it('refuses nesting beyond the bound on the text, before parsing', () => {
		expect(jsonDepthExceeds('['.repeat(33) + ']'.repeat(33))).toBe(true);
		expect(jsonDepthExceeds('['.repeat(32) + ']'.repeat(32))).toBe(false);
		// Brackets inside strings (with escaped quotes) do not count.
		expect(jsonDepthExceeds(`["${'\\"['.repeat(100)}"]`)).toBe(false);
		const started = performance.now();
		expect(parseBoundedJson('['.repeat(5_000_000))).toEqual({ ok: false });
		expect(performance.now() - started).toBeLessThan(1000);
	});
});
