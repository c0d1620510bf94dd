import { describe, expect, it, vi } from 'vitest';
import { wireAutoLock } from './auto-lock';

/** A minimal window/document pair: events, an interval, a visibility state. */
function fakeBrowser() {
	const listeners = new Map<string, Set<() => void>>();
	let tick: (() => void) | null = null;
	const target = {
		addEventListener: (t: string, f: () => void) => (listeners.get(t) ?? listeners.set(t, new Set()).get(t)!).add(f),
		removeEventListener: (t: string, f: () => void) => listeners.get(t)?.delete(f)
	};
	const doc = { ...target, visibilityState: 'visible' as DocumentVisibilityState };
	const win = { ...target, setInterval: (f: () => void) => ((tick = f), 1), clearInterval: () => (tick = null) };
	return {
		win: win as unknown as Window,
		doc: doc as unknown as Document & { visibilityState: DocumentVisibilityState },
		fire: (t: string) => listeners.get(t)?.forEach((f) => f()),
		tick: () => tick?.(),
		count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0)
	};
}

describe('auto lock', () => {
	it('locks after the idle time; activity pushes it back', () => {
		const b = fakeBrowser();
		let now = 0;
		const lock = vi.fn();
		wireAutoLock(lock, { window: b.win, document: b.doc }, { idleMs: 1000, graceMs: 100, now: () => now });
		now = 900;
		b.fire('pointerdown');
		now = 1500;
		b.tick();
		expect(lock).not.toHaveBeenCalled();
		now = 1950;
		b.tick();
		expect(lock).toHaveBeenCalledTimes(1);
	});

	it('reads the idle time at every check: a new policy applies at once', () => {
		const b = fakeBrowser();
		let now = 0;
		let idleMinutes = 5;
		const lock = vi.fn();
		wireAutoLock(lock, { window: b.win, document: b.doc }, { idleMs: () => idleMinutes * 60_000, graceMs: 100, now: () => now });
		now = 2 * 60_000;
		b.tick();
		expect(lock).not.toHaveBeenCalled();
		idleMinutes = 1; // the administrator shortened it; the tablet learnt it at a sync
		b.tick();
		expect(lock).toHaveBeenCalledTimes(1);
	});

	it('locks after the grace time in the background, checked again on return; unwires everything', () => {
		const b = fakeBrowser();
		let now = 0;
		const lock = vi.fn();
		const unwire = wireAutoLock(lock, { window: b.win, document: b.doc }, { idleMs: 60_000, graceMs: 100, now: () => now });
		b.doc.visibilityState = 'hidden';
		b.fire('visibilitychange');
		now = 50;
		b.doc.visibilityState = 'visible';
		b.fire('visibilitychange');
		expect(lock).not.toHaveBeenCalled();
		b.doc.visibilityState = 'hidden';
		b.fire('visibilitychange');
		now = 500;
		b.doc.visibilityState = 'visible';
		b.fire('visibilitychange');
		expect(lock).toHaveBeenCalledTimes(1);
		unwire();
		expect(b.count()).toBe(0);
	});
});
