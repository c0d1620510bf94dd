import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatList, formatTime } from './format';
import { formatInstant } from '$lib/server/admin/format';

describe('the one formatter (issue 13: dates three ways, English lists with 、)', () => {
	const at = '2026-12-04T01:05:00.000Z'; // 09:05 in Hangzhou

	it('shows a date with its weekday, the same shape alone and with a time', () => {
		expect(formatDate('2026-12-04', 'zh')).toBe('2026年12月4日周五');
		expect(formatDate('2026-12-04', 'en')).toBe('Fri, 4 Dec 2026');
		expect(formatDateTime(at, 'zh')).toBe('2026年12月4日周五 09:05');
		expect(formatDateTime(at, 'en')).toBe('Fri, 4 Dec 2026 09:05');
		expect(formatTime(at, 'zh')).toBe('09:05');
		expect(formatTime('2026-12-04T15:30:00.000Z', 'en')).toBe('23:30');
	});

	it('formats the admin pages’ instants like every other page', () => {
		expect(formatInstant(at, 'zh')).toBe(formatDateTime(at, 'zh'));
		expect(formatInstant(at, 'en')).toBe(formatDateTime(at, 'en'));
	});

	it('joins lists with 、 in Chinese and commas in English', () => {
		expect(formatList(['陈建华', '李明'], 'zh')).toBe('陈建华、李明');
		expect(formatList(['PIN reset', 'Card activation'], 'en')).toBe('PIN reset, Card activation');
		expect(formatList(['A', '', 'B'], 'en')).toBe('A, B');
	});

	it('shows a malformed value as it is instead of “Invalid Date”', () => {
		expect(formatDateTime('not a time', 'zh')).toBe('not a time');
		expect(formatDate('2026-13-45', 'en')).toBe('2026-13-45');
	});
});
