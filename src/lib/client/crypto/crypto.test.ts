import { describe, expect, it } from 'vitest';
import { openBlob, sealBlob } from './cipher';
import { calibrateIterations, newDataKey, randomBytes, rawWrappingKey, unwrapDataKey, unwrapWithPin, wrapDataKey, wrapWithPin } from './keys';

const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' });
const bytesOf = async (b: Blob) => [...new Uint8Array(await b.arrayBuffer())];

describe('device keys', () => {
	it('wraps the data key under the PIN; the right PIN unwraps a non-extractable key, a wrong one nothing', async () => {
		const dataKey = await newDataKey();
		const wrapping = await wrapWithPin(dataKey, '482915', 1000);
		expect(JSON.stringify(wrapping)).not.toContain('482915');
		expect(await unwrapWithPin(wrapping, '000000')).toBeNull();
		const key = await unwrapWithPin(wrapping, '482915');
		expect(key?.extractable).toBe(false);
		// The unwrapped key opens what the original sealed.
		expect(await bytesOf(await openBlob(key!, await sealBlob(dataKey, jpeg())))).toEqual(await bytesOf(jpeg()));
	});

	it('a second wrapping under the server-held secret recovers the same key without the PIN', async () => {
		const dataKey = await newDataKey();
		const secret = randomBytes(32);
		const wrapped = await wrapDataKey(dataKey, await rawWrappingKey(secret));
		const recovered = await unwrapDataKey(wrapped, await rawWrappingKey(secret));
		expect(await bytesOf(await openBlob(recovered, await sealBlob(dataKey, jpeg())))).toEqual(await bytesOf(jpeg()));
		await expect(unwrapDataKey(wrapped, await rawWrappingKey(randomBytes(32)))).rejects.toThrow();
	});

	it('calibrates PBKDF2 iterations linearly to the target time, with a floor', async () => {
		expect(await calibrateIterations(500, { probe: 50_000, timeOf: async () => 50 })).toBe(500_000);
		expect(await calibrateIterations(500, { probe: 50_000, timeOf: async () => 1000 })).toBe(100_000);
	});
});

describe('photo bytes sealing', () => {
	it('seals a JPEG with nothing of its bytes left and opens it back with its type', async () => {
		const key = await newDataKey();
		const sealedBlob = await sealBlob(key, jpeg());
		expect([...new Uint8Array(sealedBlob.ct).subarray(0, 3)]).not.toEqual([0xff, 0xd8, 0xff]);
		const back = await openBlob(key, sealedBlob);
		expect(back.type).toBe('image/jpeg');
		expect(await bytesOf(back)).toEqual(await bytesOf(jpeg()));
		await expect(openBlob(await newDataKey(), sealedBlob)).rejects.toThrow();
	});
});
