/*
 * The device store's keys (issue 6, encryption at rest; see docs/architecture.md § Device
 * encryption). A random AES-GCM-256 data key encrypts personal
 * data; it is stored only WRAPPED: by a key derived from the user's PIN (PBKDF2-SHA256, an
 * iteration count calibrated to about half a second and stored with the salt), and by a second
 * key the server hands to the signed-in user (so work kept after too many wrong PINs can still be
 * recovered at the next online sign-in). Unwrapped, the data key lives only in memory while the
 * app is unlocked (data-keys.ts), never in storage.
 */

export interface WrappedKey {
	/** AES-GCM IV of the wrapping (12 bytes, base64). */
	iv: string;
	/** The wrapped data key (base64). */
	wrapped: string;
}

export interface PinWrapping extends WrappedKey {
	salt: string;
	iterations: number;
}

const subtle = () => globalThis.crypto.subtle;
const DATA_KEY: AesKeyGenParams = { name: 'AES-GCM', length: 256 };

export const toBase64 = (bytes: ArrayBuffer | Uint8Array): string => {
	const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
	let s = '';
	for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
	return btoa(s);
};
export const fromBase64 = (b64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export const randomBytes = (n: number): Uint8Array<ArrayBuffer> => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** A fresh data key: extractable only so it can be wrapped right away, then dropped. */
export function newDataKey(): Promise<CryptoKey> {
	return subtle().generateKey(DATA_KEY, true, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
}

/** The PIN's wrapping key (PBKDF2-SHA256). */
export async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
	const material = await subtle().importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
	return subtle().deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}

/** A wrapping key from raw secret bytes (the server-held recovery secret, 32 bytes). */
export function rawWrappingKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
	return subtle().importKey('raw', secret, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
}

export async function wrapDataKey(dataKey: CryptoKey, wrappingKey: CryptoKey): Promise<WrappedKey> {
	const iv = randomBytes(12);
	const wrapped = await subtle().wrapKey('raw', dataKey, wrappingKey, { name: 'AES-GCM', iv });
	return { iv: toBase64(iv), wrapped: toBase64(wrapped) };
}

/** Unwraps as NON-extractable: the data key can encrypt and decrypt, never leave WebCrypto. Throws on a wrong key. */
export function unwrapDataKey(w: WrappedKey, wrappingKey: CryptoKey, extractable = false): Promise<CryptoKey> {
	// `extractable` only for re-wrapping under a new PIN after recovery (lib/client/crypto/device-keys.ts).
	return subtle().unwrapKey('raw', fromBase64(w.wrapped), wrappingKey, { name: 'AES-GCM', iv: fromBase64(w.iv) }, DATA_KEY, extractable, ['encrypt', 'decrypt']);
}

/** The raw bytes of an extractable data key, to hand to dataKeysFromRaw (which zeroes them). */
export async function rawDataKey(key: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
	return new Uint8Array(await subtle().exportKey('raw', key));
}

/** Wraps a data key under a PIN with a new salt. */
export async function wrapWithPin(dataKey: CryptoKey, pin: string, iterations: number): Promise<PinWrapping> {
	const salt = randomBytes(16);
	return { ...(await wrapDataKey(dataKey, await pinKey(pin, salt, iterations))), salt: toBase64(salt), iterations };
}

/** The data key from the PIN, or null for a wrong PIN (AES-GCM authentication fails). */
export async function unwrapWithPin(w: PinWrapping, pin: string, extractable = false): Promise<CryptoKey | null> {
	try {
		return await unwrapDataKey(w, await pinKey(pin, fromBase64(w.salt), w.iterations), extractable);
	} catch {
		return null;
	}
}

/**
 * PBKDF2 iterations that take about `targetMs` here: times a probe and scales linearly (PBKDF2
 * cost is linear in the count), never below `min`. `timeOf` is injectable for tests.
 */
export async function calibrateIterations(
	targetMs = 500,
	{ probe = 50_000, min = 100_000, timeOf = timePbkdf2 }: { probe?: number; min?: number; timeOf?: (iterations: number) => Promise<number> } = {}
): Promise<number> {
	const ms = Math.max(1, await timeOf(probe));
	return Math.max(min, Math.round((probe * targetMs) / ms / 1000) * 1000);
}

async function timePbkdf2(iterations: number): Promise<number> {
	const t0 = performance.now();
	await pinKey('000000', randomBytes(16), iterations);
	return performance.now() - t0;
}
