import { describe, expect, it } from 'vitest';
import { actionNameOf, isDecodablePath } from './hostile';

describe('hostile request checks', () => {
	it('knows the paths SvelteKit cannot decode', () => {
		for (const bad of ['/%ff', '/%', '/%E0%A4%A', '/requests/%E0', '/requests/%C0%AE%C0%AE', '/field/%E0']) expect(isDecodablePath(bad), bad).toBe(false);
		for (const ok of ['/', '/requests/abc', '/%25ff', '/%E5%BC%A0', '/a%20b']) expect(isDecodablePath(ok), ok).toBe(true);
	});

	it('finds the action name wherever it is in the query, and refuses odd ones', () => {
		const of = (search: string) => actionNameOf(new URL(`http://x.invalid/login${search}`));
		expect(of('')).toBeNull();
		expect(of('?next=/requests')).toBeNull();
		expect(of('?/publish')).toEqual({ name: 'publish', ok: true });
		expect(of('?x=1&/create')).toEqual({ name: 'create', ok: true });
		for (const odd of ['?x=1&/constructor', '?/valueOf', '?/hasOwnProperty', '?x=1&/toString', '?/%E0%A4%A', '?/__proto__', '?/default', '?/', '?/a%00b']) {
			expect(of(odd)?.ok, odd).toBe(false);
		}
	});
});
