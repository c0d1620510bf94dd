import { describe, expect, it } from 'vitest';
import { isSealed, open, openBlob, seal, sealBlob, sealRow, unsealRow } from './cipher';
import { calibrateIterations, newDataKey, randomBytes, rawWrappingKey, unwrapDataKey, unwrapWithPin, wrapDataKey, wrapWithPin } from './keys';

const resident = { id: 'r1', name: '张三', phone: '13800001111', idLast4: '0011', address: '萧山区高桥路 1 号' };

describe('device keys', () => {
	it('wraps the data key under the PIN; the right PIN unwraps a non-extractable key, a wrong one nothing', async () => {
		const dataKey = await newDataKey();
		const wrapping = await wrapWithPin(dataKey, '482915', 1000);
		expect(JSON.stringify(wrapping)).not.toContain('482915');
		expect(await unwrapWithPin(wrapping, '000000')).toBeNull();
		const key = await unwrapWithPin(wrapping, '482915');
		expect(key?.extractable).toBe(false);
		// The unwrapped key opens what the original sealed.
		expect(await open(key!, await seal(dataKey, resident))).toEqual(resident);
	});

	it('a second wrapping under the server-held secret recovers the same key without the PIN', async () => {
		const dataKey = await newDataKey();
		const secret = randomBytes(32);
		const wrapped = await wrapDataKey(dataKey, await rawWrappingKey(secret));
		const recovered = await unwrapDataKey(wrapped, await rawWrappingKey(secret));
		expect(await open(recovered, await seal(dataKey, 'x'))).toBe('x');
		await expect(unwrapDataKey(wrapped, await rawWrappingKey(randomBytes(32)))).rejects.toThrow();
	});

	it('calibrates PBKDF2 iterations linearly to the target time, with a floor', async () => {
		expect(await calibrateIterations(500, { probe: 50_000, timeOf: async () => 50 })).toBe(500_000);
		expect(await calibrateIterations(500, { probe: 50_000, timeOf: async () => 1000 })).toBe(100_000);
	});
});

describe('value and row sealing', () => {
	it('seals JSON and Blobs with nothing of the plain text or JPEG bytes left', async () => {
		const key = await newDataKey();
		const sealed = await seal(key, resident);
		expect(isSealed(sealed)).toBe(true);
		expect(JSON.stringify(sealed)).not.toMatch(/张三|13800001111|0011/);
		const jpeg = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' });
		const sealedBlob = await sealBlob(key, jpeg);
		expect([...new Uint8Array(sealedBlob.ct).subarray(0, 3)]).not.toEqual([0xff, 0xd8, 0xff]);
		const back = await openBlob(key, sealedBlob);
		expect(back.type).toBe('image/jpeg');
		expect([...new Uint8Array(await back.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
	});

	it('keeps only the index fields of a row in the clear and puts the row back together', async () => {
		const key = await newDataKey();
		const row = await sealRow(key, resident, ['id']);
		expect(Object.keys(row).sort()).toEqual(['enc', 'id']);
		expect(await unsealRow(key, row)).toEqual(resident);
		// A row written before encryption passes through (it is migrated at the first unlock).
		expect(await unsealRow(key, resident)).toEqual(resident);
	});
});
