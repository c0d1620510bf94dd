/*
 * The app lock's rules, pure (issue 6; the lock screen and PIN setup are not built yet):
 * what PIN is acceptable, what a wrong PIN leads to, when the app locks.
 */

export const PIN_LENGTH = 6;
export const MAX_WRONG_PINS = 5;

export type PinProblem = 'device_pin_err_format' | 'device_pin_err_weak' | 'device_pin_err_mismatch';

/** Refuses PINs a thief tries first: one digit repeated, runs up or down, two- or three-digit patterns. */
export function isWeakPin(pin: string): boolean {
	const d = [...pin].map(Number);
	const steps = new Set(d.slice(1).map((x, i) => x - d[i]));
	if (steps.size === 1 && [0, 1, -1].includes([...steps][0])) return true; // 000000, 123456, 654321
	for (const period of [2, 3]) if (d.every((x, i) => x === d[i % period])) return true; // 121212, 123123
	return ['111222', '112233', '520520', '131420', '147258', '159753', '789456', '456123'].includes(pin);
}

/** The first problem of a new PIN and its confirmation, or null when it may be used. */
export function pinProblem(pin: string, confirmation: string): PinProblem | null {
	if (!new RegExp(`^\\d{${PIN_LENGTH}}$`).test(pin)) return 'device_pin_err_format';
	if (isWeakPin(pin)) return 'device_pin_err_weak';
	if (pin !== confirmation) return 'device_pin_err_mismatch';
	return null;
}

export interface WrongPinOutcome {
	/** The persisted count after this attempt. */
	attempts: number;
	left: number;
	/** Show "one more wrong PIN erases the access to this tablet's data". */
	lastWarning: boolean;
	/** Delete the PIN wrapping of the data key (the encrypted store stays for recovery online). */
	wipeAccess: boolean;
}

export function afterWrongPin(previousAttempts: number, max = MAX_WRONG_PINS): WrongPinOutcome {
	const attempts = previousAttempts + 1;
	const left = Math.max(0, max - attempts);
	return { attempts, left, lastWarning: left === 1, wipeAccess: left === 0 };
}

export interface LockClock {
	now: number;
	lastActivityAt: number;
	/** When the app went to the background, null while visible. */
	hiddenSince: number | null;
}

/** Locks after `idleMs` without activity, or `graceMs` after going to the background. */
export function shouldLock(c: LockClock, idleMs = 5 * 60_000, graceMs = 15_000): boolean {
	if (c.hiddenSince !== null && c.now - c.hiddenSince >= graceMs) return true;
	return c.now - c.lastActivityAt >= idleMs;
}
