import { describe, expect, it } from 'vitest';
import { forgetLock, hasPin, readLock, setUpPin, unlockWithPin, type KeyValueStore } from './device-keys';
import { randomBytes, toBase64 } from './keys';

const memory = (): KeyValueStore => {
	const m = new Map<string, string>();
	return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
};
const secret = toBase64(randomBytes(32));
const fast = { iterations: 1000 };

describe('device keys', () => {
	it('sets a PIN, stores only wrappings, unlocks with the right PIN', async () => {
		const store = memory();
		const keys = await setUpPin('u1', '472951', secret, { ...fast, store });
		const stored = JSON.stringify(readLock('u1', store));
		expect(stored).not.toContain('472951');
		expect(stored).not.toContain(secret);
		expect(keys.blobs?.extractable).toBe(false);
		const sealed = keys.rows.seal('residents', { id: 'r', name: '张三' }, ['id']);
		const again = await unlockWithPin('u1', '472951', store);
		expect(again.ok).toBe(true);
		if (again.ok) expect(again.keys.rows.open('residents', sealed)).toEqual({ id: 'r', name: '张三' });
		// Locking forgets the key: nothing opens any more.
		keys.forget();
		expect(() => keys.rows.open('residents', sealed)).toThrow();
	});

	it('counts wrong PINs, warns before the last, deletes the PIN wrapping after 5, recovers online', async () => {
		const store = memory();
		const keys = await setUpPin('u1', '472951', secret, { ...fast, store });
		const sealed = keys.rows.seal('outbox', { id: 'm', note: 'kept' }, ['id']);
		const results = [];
		for (let i = 0; i < 5; i++) results.push(await unlockWithPin('u1', '000111', store));
		expect(results.map((r) => (!r.ok && !r.noPin ? r.left : -1))).toEqual([4, 3, 2, 1, 0]);
		expect(results.map((r) => (!r.ok && !r.noPin ? r.lastWarning : null))).toEqual([false, false, false, true, false]);
		expect(hasPin('u1', store)).toBe(false);
		expect(readLock('u1', store)?.signOutFirst).toBe(true);
		expect(await unlockWithPin('u1', '472951', store)).toEqual({ ok: false, noPin: true });
		// Next online sign-in: a new PIN, the same data key (the work is not lost).
		const recovered = await setUpPin('u1', '385720', secret, { ...fast, store });
		expect(recovered.rows.open('outbox', sealed)).toEqual({ id: 'm', note: 'kept' });
		expect(readLock('u1', store)?.wrongPins).toBe(0);
	});

	it('a right PIN resets the count; forgetLock removes everything', async () => {
		const store = memory();
		await setUpPin('u1', '472951', secret, { ...fast, store });
		await unlockWithPin('u1', '111000', store);
		expect(readLock('u1', store)?.wrongPins).toBe(1);
		await unlockWithPin('u1', '472951', store);
		expect(readLock('u1', store)?.wrongPins).toBe(0);
		forgetLock('u1', store);
		expect(readLock('u1', store)).toBeNull();
	});
});
