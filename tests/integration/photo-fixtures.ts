/*
 * Small, real JPEGs for photo tests without a browser. TINY_JPEG is a 32×16 baseline JPEG made
 * once with ImageMagick (`convert -size 32x16 gradient:#c33-#36c -strip -quality 75`) and kept
 * here as bytes, so tests need no image tool. Variants insert a comment segment (COM, FF FE)
 * after SOI: still a valid, decodable JPEG of the same size, but with other bytes and hash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { LocalPhotoStorage } from '$lib/server/photos/local-storage';

export const TINY_JPEG_SIZE = { width: 32, height: 16 };

export const TINY_JPEG = new Uint8Array(
	Buffer.from(
		'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAQACADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAEF/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/EABYBAQEBAAAAAAAAAAAAAAAAAAAEBf/EABYRAAMAAAAAAAAAAAAAAAAAAAAVYf/aAAwDAQACEQMRAD8AwBReohpvqQUFED6n/9k=',
		'base64'
	)
);

/** A comment segment with `text` (at most 65533 bytes). */
function commentSegment(text: Uint8Array): Uint8Array {
	const length = text.length + 2;
	return new Uint8Array([0xff, 0xfe, length >> 8, length & 0xff, ...text]);
}

/**
 * TINY_JPEG with a comment: a different valid JPEG per `label`. `padTo` adds comment segments
 * until the file has at least that many bytes (an oversized but well-formed photo).
 */
export function jpegVariant(label: string, padTo = 0): Uint8Array {
	const parts: Uint8Array[] = [TINY_JPEG.subarray(0, 2), commentSegment(new TextEncoder().encode(label))];
	let size = TINY_JPEG.length + parts[1].length;
	while (size < padTo) {
		const chunk = commentSegment(new Uint8Array(Math.min(65_000, padTo - size)).fill(0x20));
		parts.push(chunk);
		size += chunk.length;
	}
	parts.push(TINY_JPEG.subarray(2));
	return new Uint8Array(Buffer.concat(parts));
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A folder photo storage in a fresh temporary directory, removed after the suite (`storage.root`). */
export function tempPhotoStorage(prefix: string): LocalPhotoStorage {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
	return new LocalPhotoStorage(root);
}
