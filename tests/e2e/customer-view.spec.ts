import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible, shanghaiDate } from './helpers';
import { drawSignature, fieldLogin, openVisitFromDayList, planVisit, tabletOptions, unlockWithPin } from './field-helpers';
import { ELDERLY } from '../../src/lib/domain/customer-view';
import { CONSENT_TEXTS, CURRENT_CONSENT_VERSION } from '../../src/lib/domain/consent';

/**
 * Issue 13, "Elderly-friendly consent (适老化)": the consent and signature step shown full screen
 * to the customer follows MIIT's rules for elderly-friendly apps (measured here on the rendered
 * page: font sizes, line heights, target sizes, axe contrast), reads the consent aloud in Mandarin
 * where the device has a voice (and says plainly when it has none), sets no time limit (the idle
 * lock waits while the customer holds the tablet) and goes back to the team with one button.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation'], geolocation });
const zh = JSON.parse(readFileSync('messages/customer/zh.json', 'utf8')) as Record<string, string>;
const consentZh = CONSENT_TEXTS[CURRENT_CONSENT_VERSION].zh;

const stepButton = (page: Page, name: string) => page.getByRole('navigation', { name: '上门步骤' }).getByRole('button', { name, exact: true });

/** staff1 on the consent step of a new visit of their own (day 14: no other spec books staff1/staff2 then). */
async function openConsent(page: Page, baseURL: string, slot: { day: number; start: string; end: string }, tag: string) {
	const date = shanghaiDate(slot.day + test.info().repeatEachIndex);
	const visit = await planVisit(baseURL, DATA_DIR, { date, start: slot.start, end: slot.end, lead: 'staff1', second: 'staff2', tag });
	await fieldLogin(page, 'staff1');
	await openVisitFromDayList(page, date, visit.residentName);
	await stepButton(page, '4. 知情同意与签名').click();
	await expect(stepButton(page, '4. 知情同意与签名')).toHaveAttribute('aria-current', 'step');
	return visit;
}

async function showToCustomer(page: Page) {
	await page.getByRole('button', { name: zh.customer_show }).click();
	const view = page.getByRole('dialog', { name: zh.customer_view_title });
	await expect(view).toBeVisible();
	return view;
}

/** A speech engine of the test's own in place of the browser's (Chromium here may have no voices). */
function fakeSpeech(page: Page, voices: { name: string; lang: string; localService: boolean }[]) {
	return page.addInitScript((list) => {
		const spoken: { text: string; lang: string; voice: string | null; rate: number }[] = [];
		const queue: { onend?: (() => void) | null }[] = [];
		class FakeUtterance extends EventTarget {
			text: string;
			lang = '';
			voice: { name: string } | null = null;
			rate = 1;
			onend: (() => void) | null = null;
			onerror: ((e: { error: string }) => void) | null = null;
			constructor(text: string) {
				super();
				this.text = text;
			}
		}
		const synth = {
			speaking: false,
			getVoices: () => list.map((v) => ({ ...v, default: false, voiceURI: v.name })),
			speak(u: FakeUtterance) {
				spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? null, rate: u.rate });
				queue.push(u);
				synth.speaking = true;
			},
			cancel() {
				for (const u of queue.splice(0)) (u as FakeUtterance).onerror?.({ error: 'canceled' });
				synth.speaking = false;
			},
			addEventListener() {},
			removeEventListener() {}
		};
		Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
		Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: FakeUtterance, configurable: true });
		Object.assign(window, {
			__spoken: spoken,
			// The engine finishes everything it was given.
			__finishSpeech: () => {
				for (const u of queue.splice(0)) u.onend?.();
				synth.speaking = false;
			}
		});
	}, voices);
}

test('the customer view meets the elderly-friendly rules, waits without a time limit and goes back to the team with one button', async ({ page, baseURL }) => {
	test.setTimeout(180_000);
	await openConsent(page, baseURL!, { day: 14, start: '16:00', end: '16:45' }, '适老老人');
	const minutes = Number(/(\d+)/.exec((await page.getByTestId('lock-after').textContent()) ?? '')?.[1]);
	expect(minutes).toBeGreaterThan(0);
	expect(minutes, 'the idle lock is shorter than the customer view’s bound').toBeLessThan(30);

	// Timers of the page under the test's control from the next unlock on (the idle lock's check
	// runs on an interval): lock and unlock, back on the consent step.
	await page.clock.install();
	await page.getByRole('button', { name: '锁定', exact: true }).click();
	await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked');
	await unlockWithPin(page);
	await stepButton(page, '4. 知情同意与签名').click();

	const view = await showToCustomer(page);
	// Full screen: the view covers the whole window, the visit behind it is out of reach.
	const viewport = page.viewportSize()!;
	const box = (await view.boundingBox())!;
	expect([box.x, box.y, Math.round(box.width), Math.round(box.height)]).toEqual([0, 0, viewport.width, viewport.height]);
	for (const [x, y] of [[5, 5], [viewport.width - 5, viewport.height - 5], [viewport.width / 2, viewport.height / 2]]) {
		expect(await page.evaluate(([px, py]) => !!document.elementFromPoint(px, py)?.closest('[data-testid=customer-view]'), [x, y])).toBe(true);
	}
	await expect(view.getByRole('heading', { name: '上门服务知情同意书' })).toBeVisible();
	for (const line of consentZh.split('\n').slice(1)) await expect(view.getByText(line, { exact: true })).toBeVisible();

	// Type: every piece of text ≥ 18 px with line height ≥ 1.3; the largest ≥ 30 px.
	const type = await view.evaluate((root) => {
		const out: { text: string; size: number; lineHeight: number }[] = [];
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const el = n.parentElement!;
			if (!n.textContent?.trim() || !el.checkVisibility()) continue;
			const s = getComputedStyle(el);
			const size = parseFloat(s.fontSize);
			out.push({ text: n.textContent.trim().slice(0, 20), size, lineHeight: s.lineHeight === 'normal' ? 0 : parseFloat(s.lineHeight) / size });
		}
		for (const input of root.querySelectorAll('input:not([type=radio])')) {
			const s = getComputedStyle(input);
			out.push({ text: `input#${input.id}`, size: parseFloat(s.fontSize), lineHeight: s.lineHeight === 'normal' ? 0 : parseFloat(s.lineHeight) / parseFloat(s.fontSize) });
		}
		return out;
	});
	expect(type.length).toBeGreaterThan(10);
	expect(type.filter((t) => t.size < ELDERLY.minTextPx), 'text under 18 px').toEqual([]);
	expect(type.filter((t) => t.lineHeight < ELDERLY.minLineHeight), 'line height under 1.3').toEqual([]);
	expect(Math.max(...type.map((t) => t.size))).toBeGreaterThanOrEqual(ELDERLY.largestTextPx);

	// Targets: every button, field, choice (the label is what a finger hits) and the pad ≥ 60 × 60.
	const targets = view.locator('button, input:not([type=radio]), label:has(input[type=radio]), canvas');
	const count = await targets.count();
	expect(count).toBeGreaterThanOrEqual(7); // take back, read aloud or not, 3 choices, name, pad, clear, save
	for (let i = 0; i < count; i++) {
		const target = targets.nth(i);
		if (!(await target.isVisible())) continue;
		const b = (await target.boundingBox())!;
		expect(Math.min(b.width, b.height), `${await target.evaluate((e) => e.outerHTML.slice(0, 80))}`).toBeGreaterThanOrEqual(ELDERLY.minTargetPx);
	}
	// Contrast ≥ 4.5:1 and the rest of WCAG 2.2 AA, with axe.
	await expectAccessible(page);

	// Read aloud with this Chromium's own speech engine: a button when it has a Mandarin voice, else the note.
	const hasMandarin = await page.evaluate(() => speechSynthesis.getVoices().some((v) => /^(zh|cmn)[-_](cn|hans)/i.test(v.lang)));
	if (hasMandarin) await expect(view.getByRole('button', { name: zh.customer_read_aloud })).toBeVisible();
	else await expect(view.getByTestId('no-voice')).toHaveText(zh.customer_no_voice);

	// No time limit: longer than the idle lock without a touch, the customer still has the view.
	await page.clock.fastForward(`${String(minutes + 1).padStart(2, '0')}:00`);
	await page.clock.runFor(6_000); // the lock's check runs every 5 s
	await expect(page.getByTestId('device-lock')).toHaveCount(0);
	await expect(view).toBeVisible();

	// The customer signs in the view.
	await drawSignature(page);
	await view.getByRole('button', { name: '确认签名' }).click();
	await expect(view.getByText(zh.customer_signed)).toBeVisible();

	// One button: the team has the tablet back, on the visit, with the signature saved.
	await view.getByRole('button', { name: zh.customer_take_back }).click();
	await expect(view).toHaveCount(0);
	await expect(stepButton(page, '4. 知情同意与签名')).toHaveAttribute('aria-current', 'step');
	await expect(page.getByText('签名已保存在本平板上。')).toBeVisible();
	expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();

	// Back with the team, the administrator's idle lock applies again.
	await page.clock.fastForward(`${String(minutes + 1).padStart(2, '0')}:00`);
	await page.clock.runFor(6_000);
	await expect(page.getByTestId('device-lock')).toHaveAttribute('data-lock', 'locked');
});

test('without a Mandarin voice the view says so plainly and offers no read-aloud button', async ({ page, baseURL }) => {
	test.setTimeout(120_000);
	await fakeSpeech(page, [{ name: 'Samantha', lang: 'en-US', localService: true }, { name: 'Sin-ji', lang: 'zh-HK', localService: true }]);
	await openConsent(page, baseURL!, { day: 14, start: '19:00', end: '19:45' }, '无声老人');
	const view = await showToCustomer(page);
	await expect(view.getByTestId('no-voice')).toHaveText(zh.customer_no_voice);
	await expect(view.getByRole('button', { name: zh.customer_read_aloud })).toHaveCount(0);
	await expectAccessible(page);
});

test('with a Mandarin voice on the device the consent is read aloud in Mandarin, offline too, and can be stopped', async ({ page, context, baseURL }) => {
	test.setTimeout(120_000);
	await fakeSpeech(page, [
		{ name: 'Samantha', lang: 'en-US', localService: true },
		{ name: 'Google 普通话（中国大陆）', lang: 'zh-CN', localService: false },
		{ name: '婷婷', lang: 'zh_CN', localService: true }
	]);
	await openConsent(page, baseURL!, { day: 14, start: '17:00', end: '17:45' }, '朗读老人');
	await context.setOffline(true);
	const view = await showToCustomer(page);
	await expect(view.getByTestId('read-aloud')).toHaveAttribute('data-voice', '婷婷'); // the device's own voice, not the network one
	await expect(view.getByText(zh.customer_online_voice)).toHaveCount(0);
	await expect(view.getByTestId('no-voice')).toHaveCount(0);

	await view.getByRole('button', { name: zh.customer_read_aloud }).click();
	await expect(view.getByRole('status').filter({ hasText: zh.customer_reading })).toBeVisible();
	const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string; voice: string; rate: number }[] }).__spoken);
	// The whole consent text, in order, in sentences, with the Mandarin voice and slower than normal.
	expect(spoken.map((s) => s.text).join('')).toBe(consentZh.replace(/\n/g, ''));
	expect(spoken.length).toBeGreaterThan(1);
	expect(new Set(spoken.map((s) => `${s.voice}|${s.lang}`))).toEqual(new Set(['婷婷|zh-CN']));
	expect(spoken.every((s) => s.rate < 1)).toBe(true);
	await page.evaluate(() => (window as unknown as { __finishSpeech: () => void }).__finishSpeech());
	await expect(view.getByRole('button', { name: zh.customer_read_aloud })).toBeVisible();

	// Again, then stopped halfway: the button to start again is back.
	await view.getByRole('button', { name: zh.customer_read_aloud }).click();
	await view.getByRole('button', { name: zh.customer_stop_reading }).click();
	await expect(view.getByRole('button', { name: zh.customer_read_aloud })).toBeVisible();
	await expect(view.getByText(zh.customer_voice_failed)).toHaveCount(0);
	await context.setOffline(false);
});
