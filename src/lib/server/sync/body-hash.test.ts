import { describe, expect, it } from 'vitest';
import { canonicalJson, mutationBodyHash } from './body-hash';

describe('mutation body hash', () => {
	const body = { type: 'visit.arrive', entityId: 'v1', baseVersion: 2, createdAt: '2026-12-07T08:00:00.000Z', payload: { at: 'x', lat: 30.1, lng: 120.2, accuracyM: 5, distanceM: null } };

	it('is canonical: key order does not matter, content does', () => {
		expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
		const reordered = { payload: { distanceM: null, accuracyM: 5, lng: 120.2, lat: 30.1, at: 'x' }, createdAt: body.createdAt, baseVersion: 2, entityId: 'v1', type: 'visit.arrive' };
		expect(mutationBodyHash(reordered)).toBe(mutationBodyHash(body));
		expect(mutationBodyHash({ ...body, payload: { ...body.payload, lat: 30.2 } })).not.toBe(mutationBodyHash(body));
		expect(mutationBodyHash({ ...body, baseVersion: 3 })).not.toBe(mutationBodyHash(body));
		expect(mutationBodyHash(body)).toMatch(/^[0-9a-f]{64}$/);
	});

	it('leaves out the pushing device and undefined members', () => {
		expect(mutationBodyHash({ ...body, deviceId: 'other' } as typeof body)).toBe(mutationBodyHash(body));
		expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
	});
});
