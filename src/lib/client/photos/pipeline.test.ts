import { describe, expect, it } from 'vitest';
import { PHOTO_LIMITS } from '$lib/domain/photos';
import {
	DEFAULT_ENCODE_PLAN,
	fitWithin,
	formatSize,
	hasExif,
	nextEncode,
	photoManifest,
	positionHeader,
	shanghaiStamp,
	smallestEncode,
	storageAllows,
	watermarkLayout,
	watermarkLines,
	type EncodeResult
} from './pipeline';

/** Runs the search against a size model: bytes ∝ pixels × f(quality). */
function search(bytesAt: (quality: number, scale: number) => number) {
	const history: EncodeResult[] = [];
	for (;;) {
		const d = nextEncode(history);
		if (d.done) return { history, pick: d.pick };
		history.push({ ...d.next, bytes: bytesAt(d.next.quality, d.next.scale) });
	}
}

describe('scaling', () => {
	it('fits the long edge to the limit, keeps the aspect, never enlarges', () => {
		expect(fitWithin({ width: 4000, height: 3000 })).toEqual({ width: 2048, height: 1536 });
		expect(fitWithin({ width: 2160, height: 3840 })).toEqual({ width: 1152, height: 2048 });
		expect(fitWithin({ width: 640, height: 480 })).toEqual({ width: 640, height: 480 });
		expect(fitWithin({ width: 4000, height: 3000 }, 1024)).toEqual({ width: 1024, height: 768 });
		// configurable, but never above the limit the server expects
		expect(fitWithin({ width: 8000, height: 6000 }, 4096)).toEqual({ width: 2048, height: 1536 });
		expect(fitWithin({ width: 5000, height: 1 })).toEqual({ width: 2048, height: 1 });
	});
});

describe('quality search', () => {
	it('takes the first (best) quality that meets the target', () => {
		const { history, pick } = search((q) => (q > 0.7 ? 700_000 : 400_000));
		expect(history.map((h) => h.quality)).toEqual([0.85, 0.75, 0.65]);
		expect(pick).toBe(2);
		expect(history.every((h) => h.scale === 1)).toBe(true);
	});

	it('stops at once when the first encoding already fits', () => {
		expect(search(() => 100_000)).toMatchObject({ pick: 0, history: [{ quality: 0.85, scale: 1 }] });
	});

	it('reduces the size when even the lowest quality is too large, then meets the target', () => {
		// A noisy frame: 2 MB even at q 0.45 at full size.
		const { history, pick } = search((q, s) => Math.round(4_000_000 * q * s * s));
		expect(pick).not.toBeNull();
		const chosen = history[pick!];
		expect(chosen.bytes).toBeLessThanOrEqual(PHOTO_LIMITS.targetBytes);
		expect(chosen.scale).toBeLessThan(1);
		expect(chosen.scale).toBeGreaterThanOrEqual(DEFAULT_ENCODE_PLAN.minScale);
		expect(history.length).toBeLessThanOrEqual(DEFAULT_ENCODE_PLAN.maxAttempts);
		// every scale step is a real reduction
		const scales = [...new Set(history.map((h) => h.scale))];
		for (let i = 1; i < scales.length; i++) expect(scales[i]).toBeLessThan(scales[i - 1]);
	});

	it('gives up (pick null) when nothing fits; the caller keeps the smallest', () => {
		const { history, pick } = search(() => 900_000);
		expect(pick).toBeNull();
		expect(history.length).toBeLessThanOrEqual(DEFAULT_ENCODE_PLAN.maxAttempts);
		expect(smallestEncode([{ quality: 0.8, scale: 1, bytes: 5 }, { quality: 0.7, scale: 1, bytes: 3 }, { quality: 0.6, scale: 1, bytes: 4 }])).toBe(1);
	});
});

describe('watermark', () => {
	const takenAt = new Date('2026-11-27T08:30:05.000Z');

	it('says when (Shanghai time), where, which visit, who, and what for', () => {
		expect(shanghaiStamp(takenAt)).toBe('2026-11-27 16:30:05');
		expect(shanghaiStamp(new Date('2026-12-31T17:00:00.000Z'))).toBe('2027-01-01 01:00:00');
		const lines = watermarkLines({
			takenAt,
			position: { lat: 30.157123, lng: 120.257856, accuracyM: 11.6 },
			visitRef: 'R2611-0042',
			staffNames: ['王晓东', '李婷'],
			purpose: '仅供身份核验使用'
		});
		expect(lines).toEqual(['2026-11-27 16:30:05 (UTC+8)', '30.15712, 120.25786 ±12 m', 'R2611-0042 · 王晓东 / 李婷', '仅供身份核验使用']);
	});

	it('leaves the position out (or says it is unknown) without one', () => {
		const base = { takenAt, position: null, visitRef: 'R1', staffNames: ['A', ''], purpose: 'For identity verification only' };
		expect(watermarkLines(base)).toEqual(['2026-11-27 16:30:05 (UTC+8)', 'R1 · A', 'For identity verification only']);
		expect(watermarkLines({ ...base, noPosition: 'Position unknown' })[1]).toBe('Position unknown');
	});

	it('sizes the type by the short edge and keeps the band inside the image', () => {
		const wide = watermarkLayout({ width: 2048, height: 1536 }, 4);
		expect(wide.fontPx).toBe(46);
		expect(wide.bandPx).toBe(4 * wide.lineHeightPx + 2 * wide.paddingPx);
		expect(watermarkLayout({ width: 1536, height: 2048 }, 4)).toEqual(wide);
		expect(watermarkLayout({ width: 100, height: 20 }, 4).bandPx).toBe(20);
	});
});

describe('upload facts', () => {
	it('formats the position header and the manifest', () => {
		expect(positionHeader(null)).toBeNull();
		expect(positionHeader({ lat: 30.1571234, lng: 120.2578, accuracyM: 12.4 })).toBe('30.157123,120.257800,12');
		const photo = (id: string, takenAt: string) => ({ id, kind: 'id_front' as const, sha256: 'a'.repeat(64), bytes: 10, takenAt, position: null, hasBytes: true, status: 'queued' });
		const manifest = photoManifest([photo('b', '2026-11-27T02:00:00.000Z'), photo('a', '2026-11-27T01:00:00.000Z')]);
		expect(manifest.map((p) => p.id)).toEqual(['a', 'b']);
		expect(Object.keys(manifest[0]).sort()).toEqual(['bytes', 'id', 'kind', 'position', 'sha256', 'takenAt']);
	});

	it('refuses a capture when free space is below the safe margin; unknown space allows', () => {
		const margin = PHOTO_LIMITS.safeMarginBytes;
		expect(storageAllows({ quota: 1e9, usage: 1e9 - margin + 1 })).toEqual({ ok: false, freeBytes: margin - 1 });
		expect(storageAllows({ quota: 1e9, usage: 1e9 - margin }).ok).toBe(true);
		expect(storageAllows(undefined)).toEqual({ ok: true, freeBytes: null });
		expect(storageAllows({})).toEqual({ ok: true, freeBytes: null });
	});

	it('formats sizes for staff', () => {
		expect(formatSize(0)).toBe('0 KB');
		expect(formatSize(300)).toBe('1 KB');
		expect(formatSize(480 * 1024)).toBe('480 KB');
		expect(formatSize(1.24 * 1024 * 1024)).toBe('1.2 MB');
	});

	it('recognises an EXIF segment', () => {
		const jfif = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xda, 0x00, 0x02]);
		const exif = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x08, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0xff, 0xda, 0x00, 0x02]);
		expect(hasExif(jfif)).toBe(false);
		expect(hasExif(exif)).toBe(true);
	});
});
