import { describe, expect, it } from 'vitest';
import { TINY_JPEG, TINY_JPEG_SIZE, jpegVariant } from '../../../tests/integration/photo-fixtures';
import { inspectJpeg, isPhotoId, isPhotoKind, isSha256Hex, missingPhotoKinds, requiredPhotoKinds } from './photos';
import { DEFAULT_SERVICES } from './services';

const service = (code: string) => DEFAULT_SERVICES.find((s) => s.code === code)!;

describe('inspectJpeg', () => {
	it('reads the pixel size of a complete JPEG, with or without extra segments', () => {
		expect(inspectJpeg(TINY_JPEG)).toEqual(TINY_JPEG_SIZE);
		expect(inspectJpeg(jpegVariant('a comment'))).toEqual(TINY_JPEG_SIZE);
		expect(inspectJpeg(jpegVariant('padded', 300_000))).toEqual(TINY_JPEG_SIZE);
	});

	it('refuses a JPEG cut short anywhere', () => {
		for (const cut of [3, 20, 100, 200, TINY_JPEG.length - 1]) expect(inspectJpeg(TINY_JPEG.subarray(0, cut)), `cut at ${cut}`).toBeNull();
		// Cut inside the tables or the frame header, then an EOI glued on: segments overrun.
		for (const cut of [60, 165, 230]) expect(inspectJpeg(new Uint8Array([...TINY_JPEG.subarray(0, cut), 0xff, 0xd9])), `glued at ${cut}`).toBeNull();
	});

	it('refuses other formats and empty input', () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
		const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
		const text = new TextEncoder().encode('<html>not a photo</html>');
		for (const bytes of [new Uint8Array(0), png, gif, text, new Uint8Array([0xff, 0xd8, 0xff, 0xd9])]) expect(inspectJpeg(bytes)).toBeNull();
	});

	it('refuses a frame header with a zero size', () => {
		const bytes = TINY_JPEG.slice();
		const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
		bytes[sof + 5] = 0;
		bytes[sof + 6] = 0; // height 0
		expect(inspectJpeg(bytes)).toBeNull();
	});
});

describe('required photos', () => {
	it('collects the kinds of all services in catalogue order, once each', () => {
		expect(requiredPhotoKinds([service('ss_card_activation')])).toEqual(['id_front', 'id_back', 'staff_with_customer']);
		expect(requiredPhotoKinds([service('pin_reset'), service('ss_card_activation')])).toEqual(['id_front', 'id_back', 'staff_with_customer', 'signed_document']);
		expect(requiredPhotoKinds([{ requiredPhotos: ['other', 'id_back'] }, {}])).toEqual(['id_back', 'other']);
		expect(requiredPhotoKinds([])).toEqual([]);
	});

	it('lists the required kinds no photo covers', () => {
		const required = requiredPhotoKinds([service('pin_reset')]);
		expect(missingPhotoKinds(required, [])).toEqual(required);
		expect(missingPhotoKinds(required, [{ kind: 'id_front' }, { kind: 'id_front' }, { kind: 'other' }])).toEqual(['id_back', 'staff_with_customer', 'signed_document']);
		expect(missingPhotoKinds(required, required.map((kind) => ({ kind })))).toEqual([]);
	});
});

describe('identifiers', () => {
	it('accepts lower-case UUIDs and SHA-256 hex only', () => {
		expect(isPhotoId('0b7e6f2a-3c1d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
		expect(isPhotoId('0B7E6F2A-3C1D-4E5F-8A9B-0C1D2E3F4A5B')).toBe(false);
		expect(isPhotoId('../etc/passwd')).toBe(false);
		expect(isSha256Hex('a'.repeat(64))).toBe(true);
		expect(isSha256Hex('a'.repeat(63))).toBe(false);
		expect(isSha256Hex('g'.repeat(64))).toBe(false);
		expect(isPhotoKind('id_front')).toBe(true);
		expect(isPhotoKind('selfie')).toBe(false);
	});
});
