/*
 * When the unlocked field app locks itself (issue 6): after the administrator's idle time
 * without a touch or key (lib/domain/lock-policy.ts, learnt at each sync; read at every check so
 * a change applies at once), and LOCK_HIDDEN_GRACE_MS after the page went to the background (the
 * rule is pin-policy's shouldLock). Returns the unwiring function.
 */
import { shouldLock } from '$lib/client/crypto/pin-policy';
import { LOCK_IDLE_MINUTES } from '$lib/domain/lock-policy';

/** Idle time before the app locks when the administrator set nothing. */
export const LOCK_IDLE_MS = LOCK_IDLE_MINUTES.default * 60_000;
/** A short grace so switching to the camera or a phone call for a moment does not lock. */
export const LOCK_HIDDEN_GRACE_MS = 15_000;

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

export function wireAutoLock(
	lock: () => void,
	{ window: w, document: d }: { window: Window; document: Document },
	{ idleMs = LOCK_IDLE_MS, graceMs = LOCK_HIDDEN_GRACE_MS, now = () => Date.now() }: { idleMs?: number | (() => number); graceMs?: number; now?: () => number } = {}
): () => void {
	const idle = typeof idleMs === 'function' ? idleMs : () => idleMs;
	let lastActivityAt = now();
	let hiddenSince: number | null = d.visibilityState === 'hidden' ? now() : null;
	const onActivity = () => (lastActivityAt = now());
	const check = () => {
		if (shouldLock({ now: now(), lastActivityAt, hiddenSince }, idle(), graceMs)) lock();
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
