/*
 * Encrypts photo bytes for the device store with the data key (WebCrypto AES-GCM, a fresh
 * 12-byte IV per photo): a JPEG becomes `{ v: 1, iv, ct: ArrayBuffer, type }`, so no byte of it
 * is stored in the clear. Rows use the synchronous row-cipher.ts (see there for why).
 */
import { fromBase64, randomBytes, toBase64 } from './keys';

export interface SealedBlob {
	v: 1;
	iv: string;
	ct: ArrayBuffer;
	type: string;
}

const subtle = () => globalThis.crypto.subtle;

export async function sealBlob(key: CryptoKey, blob: Blob): Promise<SealedBlob> {
	const iv = randomBytes(12);
	const ct = await subtle().encrypt({ name: 'AES-GCM', iv }, key, await blob.arrayBuffer());
	return { v: 1, iv: toBase64(iv), ct, type: blob.type };
}

export async function openBlob(key: CryptoKey, sealed: SealedBlob): Promise<Blob> {
	const plain = await subtle().decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, sealed.ct);
	return new Blob([plain], { type: sealed.type });
}
