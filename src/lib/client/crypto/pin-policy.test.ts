import { describe, expect, it } from 'vitest';
import { afterWrongPin, isWeakPin, pinProblem, shouldLock } from './pin-policy';

describe('PIN policy', () => {
	it('takes six digits, not weak, confirmed', () => {
		expect(pinProblem('48291', '48291')).toBe('device_pin_err_format');
		expect(pinProblem('48a915', '48a915')).toBe('device_pin_err_format');
		for (const weak of ['000000', '123456', '654321', '121212', '123123', '112233']) expect(pinProblem(weak, weak)).toBe('device_pin_err_weak');
		expect(pinProblem('482915', '482916')).toBe('device_pin_err_mismatch');
		expect(pinProblem('482915', '482915')).toBeNull();
		expect(isWeakPin('907315')).toBe(false);
	});

	it('warns before the last attempt and wipes the access after the fifth wrong PIN', () => {
		expect(afterWrongPin(0)).toEqual({ attempts: 1, left: 4, lastWarning: false, wipeAccess: false });
		expect(afterWrongPin(3)).toEqual({ attempts: 4, left: 1, lastWarning: true, wipeAccess: false });
		expect(afterWrongPin(4)).toEqual({ attempts: 5, left: 0, lastWarning: false, wipeAccess: true });
	});

	it('locks after the idle time or a short grace in the background', () => {
		const t = 1_000_000;
		expect(shouldLock({ now: t, lastActivityAt: t - 60_000, hiddenSince: null })).toBe(false);
		expect(shouldLock({ now: t, lastActivityAt: t - 5 * 60_000, hiddenSince: null })).toBe(true);
		expect(shouldLock({ now: t, lastActivityAt: t - 1000, hiddenSince: t - 5000 })).toBe(false);
		expect(shouldLock({ now: t, lastActivityAt: t - 1000, hiddenSince: t - 15_000 })).toBe(true);
	});
});
