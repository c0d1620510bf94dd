/*
 * A mutation's content, bound to its id (issue 12): the SHA-256 of its canonical body — type,
 * visit, baseVersion, createdAt and payload, as JSON with object keys sorted at every level, so
 * the same content always hashes the same whatever the key order on the wire. The pushing device
 * is left out: a tablet hands over work another device created, and an old outbox entry may be
 * sent under the tablet's new device id; neither changes what the mutation says.
 */
import { createHash } from 'node:crypto';

/** JSON with sorted object keys (arrays keep their order); undefined members are left out as JSON does. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
	const entries = Object.keys(value)
		.sort()
		.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
		.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
	return `{${entries.join(',')}}`;
}

export interface HashedBody {
	type: string;
	entityId: string;
	baseVersion: number;
	createdAt: string;
	payload: unknown;
}

export function mutationBodyHash(m: HashedBody): string {
	const body = { type: m.type, entityId: m.entityId, baseVersion: m.baseVersion, createdAt: m.createdAt, payload: m.payload };
	return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
