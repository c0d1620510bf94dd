import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { extendResume, forgetResume, saveResume, takeResume, type ResumeEnv } from './session-resume';

const env = (): ResumeEnv => {
	const map = new Map<string, string>();
	return {
		indexedDB: globalThis.indexedDB,
		subtle: globalThis.crypto.subtle,
		session: { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) }
	};
};
const dataKey = () => globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
const raw = async (k: CryptoKey) => Buffer.from(await globalThis.crypto.subtle.exportKey('raw', k)).toString('hex');

describe('unlocked across a reload (issue 13)', () => {
	it('opens the same data key once within the window; the stored halves hold no clear key', async () => {
		const e = env();
		const key = await dataKey();
		await saveResume('u1', key, 10_000, e);
		const stored = e.session.getItem('doorstep.resume.u1')!;
		expect(stored).not.toContain(Buffer.from(await globalThis.crypto.subtle.exportKey('raw', key)).toString('base64'));
		const again = await takeResume('u1', 5_000, e);
		expect(again && (await raw(again))).toBe(await raw(key));
		// Each pair opens once: a second reload needs the new pair saved after this one.
		expect(await takeResume('u1', 5_000, e)).toBeNull();
	});

	it('opens nothing after the expiry, after forget, in another tab, or for another user', async () => {
		const e = env();
		await saveResume('u1', await dataKey(), 10_000, e);
		expect(await takeResume('u1', 10_000, e)).toBeNull();
		expect(e.session.getItem('doorstep.resume.u1')).toBeNull();

		await saveResume('u1', await dataKey(), 10_000, e);
		await forgetResume('u1', e);
		expect(await takeResume('u1', 1, e)).toBeNull();

		await saveResume('u1', await dataKey(), 10_000, e);
		expect(await takeResume('u1', 1, env()), 'another tab has no session half').toBeNull();
		expect(await takeResume('u2', 1, e)).toBeNull();
	});

	it('activity moves the expiry on, never back', async () => {
		const e = env();
		const key = await dataKey();
		await saveResume('u1', key, 10_000, e);
		extendResume('u1', 20_000, e);
		extendResume('u1', 15_000, e);
		expect(JSON.parse(e.session.getItem('doorstep.resume.u1')!).expiresAt).toBe(20_000);
		expect(await takeResume('u1', 19_000, e)).not.toBeNull();
	});
});
