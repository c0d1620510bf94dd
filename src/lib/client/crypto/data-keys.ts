/*
 * The unwrapped data key as the store uses it while the app is unlocked: a synchronous row
 * cipher (row-cipher.ts, inside IndexedDB transactions) and a non-extractable WebCrypto key for
 * photo bytes (photos/bytes.ts). Both come from the same 32 random bytes, which are zeroed here;
 * `forget()` at lock and sign-out drops the rest.
 */
import { createRowCipher, type RowCipher } from './row-cipher';

export interface DataKeys {
	rows: RowCipher;
	/** AES-GCM key for photo bytes; null once forgotten. */
	readonly blobs: CryptoKey | null;
	forget(): void;
}

/** Takes ownership of `raw` (32 bytes): it is zeroed before this resolves. */
export async function dataKeysFromRaw(raw: Uint8Array<ArrayBuffer>): Promise<DataKeys> {
	try {
		let blobs: CryptoKey | null = await globalThis.crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
		const rows = createRowCipher(raw);
		return {
			rows,
			get blobs() {
				return blobs;
			},
			forget() {
				rows.forget();
				blobs = null;
			}
		};
	} finally {
		raw.fill(0);
	}
}
