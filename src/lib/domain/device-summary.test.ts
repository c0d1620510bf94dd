import { describe, expect, it } from 'vitest';
import { deviceLabel, deviceSummary } from './device-summary';

describe('tablet names for the administrator (issue 13)', () => {
	it('summarises model, OS and browser briefly', () => {
		expect(deviceSummary('Mozilla/5.0 (Linux; Android 14; SM-X710 Build/UP1A.231005.007) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBe('Android 14 · SM-X710 · Chrome 131');
		expect(deviceSummary('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBe('Android 10 · Chrome 131');
		expect(deviceSummary('Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toBe('iPadOS 17 · Safari 17');
		expect(deviceSummary('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36')).toBe('Linux · Chrome 140');
	});

	it('puts the given name first and stays within 80 characters', () => {
		const ua = 'Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/131.0.0.0';
		expect(deviceLabel(' 平板  3 ', ua)).toBe('平板 3 · Android 14 · SM-X710 · Chrome 131');
		expect(deviceLabel('', ua)).toBe('Android 14 · SM-X710 · Chrome 131');
		expect(deviceLabel('x'.repeat(200), ua).length).toBeLessThanOrEqual(80);
	});
});
