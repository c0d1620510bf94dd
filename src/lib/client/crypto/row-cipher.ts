/*
 * Seals the personal part of a device-store row (issue 6, encryption at rest): the fields an
 * index needs stay in the clear, everything else becomes one AES-256-GCM ciphertext under the
 * data key, stored as `{ ...clear, $sealed: Uint8Array(iv ‖ ciphertext ‖ tag) }`.
 *
 * Why synchronous (@noble/ciphers) and not WebCrypto here: an IndexedDB transaction ends as soon
 * as control returns to the event loop without a pending request, and WebCrypto's promises
 * resolve in a later task. Rows are read and written inside Dexie transactions (pull-apply,
 * outbox rebase, photo retakes), so a transparent sealing layer must finish in the same task.
 * Rows are small (0.1–0.25 ms each in Chromium, `npm run bench:crypto`); the large photo bytes use
 * WebCrypto outside any transaction (photos/bytes.ts), where this cipher is ~10× slower.
 */
import { gcm } from '@noble/ciphers/aes.js';

export const SEALED_FIELD = '$sealed';

export interface RowCipher {
	/** The stored form of `row`: the `clear` fields as they are, the rest sealed. Throws when locked. */
	seal(table: string, row: Readonly<Record<string, unknown>>, clear: readonly string[]): Record<string, unknown>;
	/** The row back (a row without `$sealed` is returned as it is: written before encryption). */
	open(table: string, stored: Readonly<Record<string, unknown>>): Record<string, unknown>;
	/** Zeroes the key: every later seal/open throws. */
	forget(): void;
}

/** The row was sealed under another key (or altered): AES-GCM authentication failed. */
export class WrongKeyError extends Error {
	constructor() {
		super('sealed under another key');
		this.name = 'WrongKeyError';
	}
}

export class StoreLockedError extends Error {
	constructor() {
		super('device store locked');
		this.name = 'StoreLockedError';
	}
}

const NONCE_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON is the sealed format: refuse what JSON would silently turn into `{}` (Blob, Date, bytes). */
function jsonOnly(_key: string, value: unknown): unknown {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const proto = Object.getPrototypeOf(value);
		if (proto !== Object.prototype && proto !== null) throw new TypeError(`a sealed row field must be JSON data, not ${proto?.constructor?.name ?? 'object'}`);
	}
	return value;
}

/** A cipher over a copy of `rawKey` (32 bytes); the caller should zero its own copy. */
export function createRowCipher(rawKey: Uint8Array): RowCipher {
	if (rawKey.length !== 32) throw new RangeError('AES-256 key must be 32 bytes');
	let key: Uint8Array | null = rawKey.slice();
	const current = () => {
		if (!key) throw new StoreLockedError();
		return key;
	};
	return {
		seal(table, row, clear) {
			const k = current();
			const out: Record<string, unknown> = {};
			const secret: Record<string, unknown> = {};
			for (const [name, value] of Object.entries(row)) {
				if (name === SEALED_FIELD) continue;
				(clear.includes(name) ? out : secret)[name] = value;
			}
			const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
			// The table name is authenticated: a row copied into another table does not open.
			const ciphertext = gcm(k, nonce, encoder.encode(table)).encrypt(encoder.encode(JSON.stringify(secret, jsonOnly)));
			const sealed = new Uint8Array(NONCE_BYTES + ciphertext.length);
			sealed.set(nonce);
			sealed.set(ciphertext, NONCE_BYTES);
			out[SEALED_FIELD] = sealed;
			return out;
		},
		open(table, stored) {
			const sealed = stored[SEALED_FIELD];
			if (!(sealed instanceof Uint8Array)) return { ...stored };
			const k = current();
			let plain: Uint8Array;
			try {
				plain = gcm(k, sealed.subarray(0, NONCE_BYTES), encoder.encode(table)).decrypt(sealed.subarray(NONCE_BYTES));
			} catch {
				throw new WrongKeyError();
			}
			const { [SEALED_FIELD]: _sealed, ...clear } = stored;
			// Clear fields win: IndexedDB writes an auto-increment key into the stored row only.
			return { ...(JSON.parse(decoder.decode(plain)) as Record<string, unknown>), ...clear };
		},
		forget() {
			key?.fill(0);
			key = null;
		}
	};
}

/** Whether a stored row is sealed (for the migration and the tests). */
export const isSealedRow = (stored: unknown): boolean =>
	typeof stored === 'object' && stored !== null && (stored as Record<string, unknown>)[SEALED_FIELD] instanceof Uint8Array;
