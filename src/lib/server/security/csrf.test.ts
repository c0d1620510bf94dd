import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './csrf';

const app = 'http://127.0.0.1:4173';
const req = (method: string, origin: string | null, secFetchSite: string | null = null) => isCrossSiteWrite({ method, origin, secFetchSite, appOrigin: app });

describe('isCrossSiteWrite', () => {
	it('reads are never refused', () => {
		expect(req('GET', 'https://evil.example')).toBe(false);
		expect(req('HEAD', null)).toBe(false);
		expect(req('OPTIONS', 'https://evil.example')).toBe(false);
	});
	it('writes need this origin', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) {
			expect(req(method, app)).toBe(false);
			expect(req(method, 'https://evil.example')).toBe(true);
			expect(req(method, 'http://127.0.0.1:4174')).toBe(true); // another port is another origin
			expect(req(method, 'null')).toBe(true); // sandboxed frames, data: pages
		}
	});
	it('without Origin, Sec-Fetch-Site must say same-origin; with neither header the write is refused', () => {
		expect(req('POST', null, 'same-origin')).toBe(false);
		expect(req('POST', null, 'same-site')).toBe(true);
		expect(req('POST', null, 'cross-site')).toBe(true);
		expect(req('POST', null, 'none')).toBe(true);
		expect(req('PUT', null, null)).toBe(true);
		// A stated Origin wins over Sec-Fetch-Site.
		expect(req('POST', 'https://evil.example', 'same-origin')).toBe(true);
	});
});
