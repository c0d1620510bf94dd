import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
	it('keeps paths of this site, with their query', () => {
		for (const ok of ['/', '/requests', '/approvals/abc?tab=2', '/requests?q=%E5%BC%A0', '/admin/users#x']) expect(safeNext(ok), ok).toBe(ok);
	});

	it('refuses what a browser would take to another site, and anything odd', () => {
		const bad = [
			'//evil.example',
			'/\\evil.example',
			'/%5Cevil.example',
			'/%5cevil.example',
			'/%255Cevil.example',
			'/\t/evil.example',
			'/%09/evil.example',
			'/\n/evil.example',
			'/%0A/evil.example',
			'/%2F/evil.example',
			'/%2f%2fevil.example',
			'https://evil.example',
			'javascript:alert(1)',
			'evil.example',
			' /requests',
			'/%ff',
			'/%E0%A4%A',
			'',
			'/' + 'a'.repeat(3000)
		];
		for (const next of bad) expect(safeNext(next), JSON.stringify(next)).toBeNull();
		for (const notText of [null, undefined, 1, ['/'], {}]) expect(safeNext(notText)).toBeNull();
	});
});
