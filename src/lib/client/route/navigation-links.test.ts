import { describe, expect, it } from 'vitest';
import { amapLink, geoLink, navigationLinks, platformOf } from './navigation-links';

const stop = { lat: 30.1571, lng: 120.2578, label: '1 张(三), 高桥路' };

describe('navigation links (pure)', () => {
	it('geo: URI with the position twice and a label without URI-breaking characters', () => {
		expect(geoLink(stop)).toBe(`geo:30.157100,120.257800?q=30.157100,120.257800(${encodeURIComponent('1 张 三   高桥路')})`);
	});

	it('AMap: longitude first, WGS-84 declared, opens the app when installed', () => {
		const url = new URL(amapLink(stop));
		expect(url.origin + url.pathname).toBe('https://uri.amap.com/navigation');
		expect(url.searchParams.get('to')).toBe('120.257800,30.157100,1 张 三   高桥路');
		expect(url.searchParams.get('coordinate')).toBe('wgs84');
		expect(url.searchParams.get('callnative')).toBe('1');
	});

	it('picks the platform link first, AMap as the fallback', () => {
		expect(platformOf('Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36')).toBe('android');
		expect(platformOf('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)')).toBe('ios');
		expect(platformOf('Mozilla/5.0 (X11; Linux x86_64)')).toBe('other');
		expect(navigationLinks(stop, 'android').map((l) => l.kind)).toEqual(['geo', 'amap']);
		expect(navigationLinks(stop, 'ios').map((l) => l.kind)).toEqual(['apple', 'amap']);
		expect(navigationLinks(stop, 'other').map((l) => l.kind)).toEqual(['amap']);
		expect(navigationLinks(stop, 'ios')[0].href).toContain('daddr=30.157100%2C120.257800');
	});
});
