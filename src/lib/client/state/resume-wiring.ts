/*
 * The field session's use of crypto/session-resume.ts: save at unlock, take at start, forget at
 * lock / sign-out / wipe, and move the expiry on with the user's activity (at most every 15 s),
 * so a reload opens unlocked exactly while the idle lock would not have struck yet.
 */
import { extendResume, forgetResume, hasResume, saveResume, takeResume } from '$lib/client/crypto/session-resume';

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;
const THROTTLE_MS = 15_000;

export function resumeOnReload(idleMs: () => number, now = () => Date.now()) {
	return {
		save: (userId: string, key: CryptoKey) => saveResume(userId, key, now() + idleMs()).catch(() => undefined),
		take: (userId: string) => takeResume(userId, now()),
		pending: (userId: string) => hasResume(userId, now()),
		forget: (userId: string) => forgetResume(userId).catch(() => undefined),
		followActivity(userId: string, w: Window): () => void {
			let last = 0;
			const onActivity = () => {
				const t = now();
				if (t - last < THROTTLE_MS) return;
				last = t;
				extendResume(userId, t + idleMs());
			};
			for (const type of ACTIVITY) w.addEventListener(type, onActivity, { passive: true, capture: true });
			return () => {
				for (const type of ACTIVITY) w.removeEventListener(type, onActivity, { capture: true });
			};
		}
	};
}
