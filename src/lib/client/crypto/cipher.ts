/*
 * Encrypts values for the device store with the data key (AES-GCM, a fresh 12-byte IV per
 * value): JSON values become `{ v: 1, iv, ct }` with base64 text; Blobs (photo JPEGs) become
 * `{ v: 1, iv, ct: ArrayBuffer, type }`, so no byte of the JPEG is stored in the clear.
 */
import { fromBase64, randomBytes, toBase64 } from './keys';

export interface Sealed {
	v: 1;
	iv: string;
	ct: string;
}
export interface SealedBlob {
	v: 1;
	iv: string;
	ct: ArrayBuffer;
	type: string;
}

const subtle = () => globalThis.crypto.subtle;

export const isSealed = (x: unknown): x is Sealed =>
	typeof x === 'object' && x !== null && (x as Sealed).v === 1 && typeof (x as Sealed).iv === 'string' && typeof (x as Sealed).ct === 'string';

export async function seal(key: CryptoKey, value: unknown): Promise<Sealed> {
	const iv = randomBytes(12);
	const ct = await subtle().encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(value)));
	return { v: 1, iv: toBase64(iv), ct: toBase64(ct) };
}

export async function open<T = unknown>(key: CryptoKey, sealed: Sealed): Promise<T> {
	const plain = await subtle().decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.ct));
	return JSON.parse(new TextDecoder().decode(plain)) as T;
}

export async function sealBlob(key: CryptoKey, blob: Blob): Promise<SealedBlob> {
	const iv = randomBytes(12);
	const ct = await subtle().encrypt({ name: 'AES-GCM', iv }, key, await blob.arrayBuffer());
	return { v: 1, iv: toBase64(iv), ct, type: blob.type };
}

export async function openBlob(key: CryptoKey, sealed: SealedBlob): Promise<Blob> {
	const plain = await subtle().decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, sealed.ct);
	return new Blob([plain], { type: sealed.type });
}

/**
 * Splits a row into the fields kept in the clear (ids, dates, statuses: what indexes need) and
 * the rest, sealed as one `enc` value. `unsealRow` puts them back together.
 */
export async function sealRow<T extends Record<string, unknown>>(key: CryptoKey, row: T, clear: readonly string[]): Promise<Record<string, unknown>> {
	const out: Record<string, unknown> = {};
	const secret: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(row)) (clear.includes(k) ? out : secret)[k] = v;
	out.enc = await seal(key, secret);
	return out;
}

export async function unsealRow<T>(key: CryptoKey, row: Record<string, unknown>): Promise<T> {
	if (!isSealed(row.enc)) return row as T; // not encrypted yet (migrated at first unlock)
	const { enc, ...clear } = row;
	return { ...clear, ...(await open<Record<string, unknown>>(key, enc)) } as T;
}
