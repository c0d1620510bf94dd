import { describe, expect, it } from 'vitest';
import { createRowCipher, isSealedRow, SEALED_FIELD, StoreLockedError } from './row-cipher';
import { randomBytes } from './keys';

const resident = { id: 'r1', name: '张三', phone: '13800001111', idLast4: '0011', address: '萧山区高桥路 1 号', tags: ['a'] };
const text = (row: Record<string, unknown>) => JSON.stringify(row) + new TextDecoder().decode(row[SEALED_FIELD] as Uint8Array);

describe('row cipher', () => {
	it('keeps only the clear fields readable and puts the row back together', () => {
		const cipher = createRowCipher(randomBytes(32));
		const stored = cipher.seal('residents', resident, ['id']);
		expect(Object.keys(stored).sort()).toEqual([SEALED_FIELD, 'id'].sort());
		expect(isSealedRow(stored)).toBe(true);
		expect(text(stored)).not.toMatch(/张三|13800001111|0011|高桥路/);
		expect(cipher.open('residents', stored)).toEqual(resident);
	});

	it('uses a fresh nonce per write, binds the table, refuses a wrong key', () => {
		const raw = randomBytes(32);
		const cipher = createRowCipher(raw);
		const a = cipher.seal('residents', resident, ['id'])[SEALED_FIELD] as Uint8Array;
		const b = cipher.seal('residents', resident, ['id'])[SEALED_FIELD] as Uint8Array;
		expect(a.subarray(0, 12)).not.toEqual(b.subarray(0, 12));
		const stored = cipher.seal('residents', resident, ['id']);
		expect(() => cipher.open('visits', stored)).toThrow();
		expect(() => createRowCipher(randomBytes(32)).open('residents', stored)).toThrow();
	});

	it('passes a row written before encryption through; clear fields added by IndexedDB win', () => {
		const cipher = createRowCipher(randomBytes(32));
		expect(cipher.open('residents', resident)).toEqual(resident);
		const stored = { ...cipher.seal('outbox', { id: 'm1', payload: { note: '药' } }, ['id']), seq: 7 };
		expect(cipher.open('outbox', stored)).toEqual({ id: 'm1', payload: { note: '药' }, seq: 7 });
	});

	it('refuses values JSON would lose, and everything once the key is forgotten', () => {
		const cipher = createRowCipher(randomBytes(32));
		expect(() => cipher.seal('photos', { id: 'p', jpeg: new Uint8Array(3) }, ['id'])).toThrow(TypeError);
		const stored = cipher.seal('residents', resident, ['id']);
		cipher.forget();
		expect(() => cipher.open('residents', stored)).toThrow(StoreLockedError);
		expect(() => cipher.seal('residents', resident, ['id'])).toThrow(StoreLockedError);
	});
});
