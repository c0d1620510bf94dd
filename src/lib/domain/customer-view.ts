/*
 * The consent screen shown to the (often elderly) customer: China's MIIT rules for elderly-friendly
 * apps (《移动互联网应用（APP）适老化通用设计规范》, 2021) as numbers the view and its test share,
 * and the idle lock while the customer holds the tablet.
 */
import { LOCK_IDLE_MINUTES } from './lock-policy';

export const ELDERLY = {
	/** Main text at least 18 px, the largest text at least 30 px. */
	minTextPx: 18,
	largestTextPx: 30,
	/** Line height at least 1.3 times the font size. */
	minLineHeight: 1.3,
	/** Contrast of text to its background at least 4.5:1 (WCAG AA, checked with axe). */
	minContrast: 4.5,
	/** Touch targets at least 60 × 60 px. */
	minTargetPx: 60
} as const;

/**
 * The rules ask for no time limits, and the idle lock is a security control that must stay.
 * While the customer view is open the lock waits as long as the administrator could ever set
 * (LOCK_IDLE_MINUTES.max) instead of the set time: the customer may read, listen and think
 * without being hurried, no countdown is shown, and each touch of the customer counts as activity
 * as any other; a tablet left alone on that screen still locks within the policy's outer bound,
 * and hiding the app locks it as always (auto-lock.ts).
 */
export function idleLockMs(adminMinutes: number, customerView: boolean): number {
	const minutes = customerView ? Math.max(adminMinutes, LOCK_IDLE_MINUTES.max) : adminMinutes;
	return minutes * 60_000;
}
