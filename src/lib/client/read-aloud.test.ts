import { describe, expect, it } from 'vitest';
import { pickMandarinVoice, speechChunks } from './read-aloud';
import { idleLockMs } from '$lib/domain/customer-view';
import { LOCK_IDLE_MINUTES } from '$lib/domain/lock-policy';

const voice = (name: string, lang: string, localService = true, isDefault = false) => ({ name, lang, localService, default: isDefault });

describe('pickMandarinVoice', () => {
	it('has no voice without a Chinese one', () => {
		expect(pickMandarinVoice([])).toBeNull();
		expect(pickMandarinVoice([voice('Samantha', 'en-US'), voice('Anna', 'de-DE')])).toBeNull();
	});
	it('never reads Mandarin text with a Cantonese voice', () => {
		expect(pickMandarinVoice([voice('Sin-ji', 'zh-HK'), voice('Yue', 'yue-Hant-HK'), voice('Macau', 'zh_MO')])).toBeNull();
	});
	it('takes mainland Mandarin before Taiwan, and a device voice before a network one', () => {
		const tw = voice('Mei-Jia', 'zh-TW');
		const cnNet = voice('Google 普通话（中国大陆）', 'zh-CN', false);
		const cnLocal = voice('Ting-Ting', 'zh_CN', true);
		expect(pickMandarinVoice([tw])).toBe(tw);
		expect(pickMandarinVoice([tw, cnNet])).toBe(cnNet);
		expect(pickMandarinVoice([tw, cnNet, cnLocal])).toBe(cnLocal);
		expect(pickMandarinVoice([voice('x', 'cmn-Hans-CN')])?.name).toBe('x');
	});
});

describe('speechChunks', () => {
	it('splits at sentence ends and lines, keeping every character', () => {
		const text = '第一句。第二句！\n第三句没有句号';
		expect(speechChunks(text)).toEqual(['第一句。', '第二句！', '第三句没有句号']);
	});
	it('cuts a very long sentence into bounded pieces', () => {
		const chunks = speechChunks('字'.repeat(250), 100);
		expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
	});
});

describe('idleLockMs', () => {
	it('is the administrator’s time normally', () => {
		expect(idleLockMs(5, false)).toBe(5 * 60_000);
	});
	it('waits the longest time the policy allows while the customer holds the tablet, never shorter than set', () => {
		expect(idleLockMs(5, true)).toBe(LOCK_IDLE_MINUTES.max * 60_000);
		expect(idleLockMs(LOCK_IDLE_MINUTES.max, true)).toBe(LOCK_IDLE_MINUTES.max * 60_000);
	});
});
