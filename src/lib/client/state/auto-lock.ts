/*
 * When the unlocked field app locks itself (issue 6): after LOCK_IDLE_MS without a touch or key,
 * and LOCK_HIDDEN_GRACE_MS after the page went to the background (the rule is pin-policy's
 * shouldLock). Returns the unwiring function.
 */
import { shouldLock } from '$lib/client/crypto/pin-policy';

/** Idle time before the app locks (configure here; 5 minutes as the issue asks). */
export const LOCK_IDLE_MS = 5 * 60_000;
/** A short grace so switching to the camera or a phone call for a moment does not lock. */
export const LOCK_HIDDEN_GRACE_MS = 15_000;

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

export function wireAutoLock(
	lock: () => void,
	{ window: w, document: d }: { window: Window; document: Document },
	{ idleMs = LOCK_IDLE_MS, graceMs = LOCK_HIDDEN_GRACE_MS, now = () => Date.now() } = {}
): () => void {
	let lastActivityAt = now();
	let hiddenSince: number | null = d.visibilityState === 'hidden' ? now() : null;
	const onActivity = () => (lastActivityAt = now());
	const check = () => {
		if (shouldLock({ now: now(), lastActivityAt, hiddenSince }, idleMs, graceMs)) lock();
	};
	const onVisibility = () => {
		if (d.visibilityState === 'hidden') hiddenSince = now();
		else {
			check(); // timers may not have run in the background
			hiddenSince = null;
			lastActivityAt = now();
		}
	};
	for (const type of ACTIVITY) w.addEventListener(type, onActivity, { passive: true, capture: true });
	d.addEventListener('visibilitychange', onVisibility);
	const timer = w.setInterval(check, 5_000);
	return () => {
		for (const type of ACTIVITY) w.removeEventListener(type, onActivity, { capture: true });
		d.removeEventListener('visibilitychange', onVisibility);
		w.clearInterval(timer);
	};
}
