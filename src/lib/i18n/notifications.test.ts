import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_CODES } from '$lib/domain/notifications';
import { DELIVERY_STATUSES, REMINDER_KINDS, SKIP_REASONS } from '$lib/domain/reminders';
import { notificationText } from './notifications';
import { formatDate } from './format';

const load = (locale: string) => JSON.parse(readFileSync(`messages/notify/${locale}.json`, 'utf8')) as Record<string, string>;

describe('notification texts', () => {
	it('every notification code, reminder kind, delivery status and skip reason is translated in zh and en', () => {
		const keys = [
			...NOTIFICATION_CODES.map((c) => `ntf_${c}`),
			...REMINDER_KINDS.map((k) => `delivery_kind_${k}`),
			...DELIVERY_STATUSES.map((s) => `delivery_status_${s}`),
			...SKIP_REASONS.map((r) => `delivery_reason_${r}`)
		];
		for (const locale of ['zh', 'en']) {
			const messages = load(locale);
			expect(keys.filter((k) => !messages[k]), locale).toEqual([]);
		}
	});

	it('formats dates and translates …Code parameters at display time', () => {
		const params = { ref: 'R2612-0001', date: '2026-12-08', start: '10:00', end: '11:00' };
		// Tests run in the base locale (zh); dates follow the reader's locale argument.
		expect(notificationText('request_approved', params, 'zh')).toBe(`申请 R2612-0001 已批准：${formatDate('2026-12-08', 'zh')} 10:00–11:00 上门。`);
		const outcome = notificationText('visit_outcome', { ref: 'R1', outcomeCode: 'outcome_not_home' }, 'zh');
		expect(outcome).toMatch(/^申请 R1 的上门结果：.+。$/);
		expect(outcome).not.toContain('outcome_not_home');
		expect(notificationText('reminder_failed', { ref: '', reasonCode: 'isv.BUSINESS_LIMIT_CONTROL' }, 'zh')).toBe('短信提醒发送失败：isv.BUSINESS_LIMIT_CONTROL。请在「任务队列」查看。');
		expect(notificationText('reminder_failed', { ref: 'R2', reasonCode: 'outcome_unknown' }, 'zh')).toContain('（R2）'.replace('（', ' (').replace('）', ')'));
	});
});
