import { createHash } from 'node:crypto';
import { isSha256Hex } from '$lib/domain/photos';

/** Lower-case hex SHA-256 of the bytes: a photo's content address. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The storage adapters' common guard: a content address must be a hash, and the bytes must match it. */
export function checkContent(sha256: string, bytes?: Uint8Array): void {
	if (!isSha256Hex(sha256)) throw new Error('photo storage: not a SHA-256 hex key');
	if (bytes && sha256Hex(bytes) !== sha256) throw new Error('photo storage: bytes do not match their SHA-256');
}
