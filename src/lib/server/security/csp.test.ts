import { describe, expect, it } from 'vitest';
import { tileImageSource, withSources } from './csp';
import { baseSecurityHeaders, STATIC_CSP } from './base-headers.js';

describe('tileImageSource', () => {
	it('the origin of the tile template, subdomain placeholders as a wildcard', () => {
		expect(tileImageSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://tile.openstreetmap.org');
		expect(tileImageSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
		expect(tileImageSource('http://192.168.1.5:8080/tiles/{z}/{x}/{y}.png')).toBe('http://192.168.1.5:8080');
		// Gaode: the placeholder is part of the first label
		expect(tileImageSource('HTTPS://Webrd0{s}.IS.autonavi.com/appmaptile?x={x}')).toBe('https://*.is.autonavi.com');
		expect(tileImageSource('https://a.{s}.example.org/{z}')).toBeNull(); // only the first label may vary
		expect(tileImageSource('https://{s}.autonavi.com/a')).toBe('https://*.autonavi.com');
	});
	it('nothing for no map, same-origin tiles or odd values', () => {
		expect(tileImageSource('')).toBeNull();
		expect(tileImageSource('/tiles/{z}/{x}/{y}')).toBeNull();
		expect(tileImageSource('javascript:alert(1)')).toBeNull();
		expect(tileImageSource("https://a.example'; script-src *")).toBeNull();
		expect(tileImageSource('https://{s}.com/x')).toBeNull(); // would allow every .com host
	});
});

describe('withSources', () => {
	const policy = "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'";
	it('appends to an existing directive once', () => {
		expect(withSources(policy, 'img-src', ['https://t.example'])).toBe("default-src 'self'; img-src 'self' data: blob: https://t.example; frame-ancestors 'none'");
		expect(withSources(withSources(policy, 'img-src', ['https://t.example']), 'img-src', ['https://t.example'])).toBe(withSources(policy, 'img-src', ['https://t.example']));
		expect(withSources(policy, 'img-src', [])).toBe(policy);
	});
	it('creates a missing directive from default-src', () => {
		expect(withSources(policy, 'connect-src', ['https://t.example'])).toBe(`${policy}; connect-src 'self' https://t.example`);
	});
});

describe('base security headers', () => {
	it('HSTS only over https; frame-ancestors in the static policy', () => {
		const names = (https: boolean) => baseSecurityHeaders({ https }).map(([n]) => n);
		expect(names(false)).not.toContain('Strict-Transport-Security');
		expect(names(true)).toContain('Strict-Transport-Security');
		expect(Object.fromEntries(baseSecurityHeaders({ https: false }))).toMatchObject({
			'Permissions-Policy': 'camera=(self), geolocation=(self), microphone=()',
			'Cross-Origin-Opener-Policy': 'same-origin',
			'X-Frame-Options': 'DENY'
		});
		expect(STATIC_CSP).toContain("frame-ancestors 'none'");
		expect(STATIC_CSP).not.toContain('default-src'); // would block the prerendered shell's inline script
	});
});
