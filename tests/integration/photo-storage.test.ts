/*
 * One suite, two adapters: the folder under the data directory and S3-compatible storage
 * against a real S3-protocol server on loopback (./s3-server.ts). Both must store each content
 * once, whole, and never expose a partial object under its final name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPhotoStorage } from '$lib/server/photos/local-storage';
import { S3PhotoStorage, TMP_PREFIX, finalKey } from '$lib/server/photos/s3-storage';
import type { PhotoStorage } from '$lib/server/photos/storage';
import { jpegVariant, sha256 } from './photo-fixtures';
import { startTestS3 } from './s3-server';

/** An adapter plus what the test needs to look behind it (the raw objects it holds). */
interface Harness {
	storage: PhotoStorage;
	/** Names of final objects and of temporary ones. */
	listFinal(): Promise<string[]>;
	listTmp(): Promise<string[]>;
	/** Leaves a partial temporary object, as a server killed mid-upload would. */
	leaveStrayTmp(sha: string, bytes: Uint8Array): Promise<void>;
	close(): Promise<void>;
}

function walk(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

async function localHarness(): Promise<Harness> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-photos-'));
	const storage = new LocalPhotoStorage(root);
	return {
		storage,
		listFinal: async () => walk(root).filter((f) => !f.startsWith(storage.tmpDir)).map((f) => path.relative(root, f)),
		listTmp: async () => walk(storage.tmpDir),
		async leaveStrayTmp(sha, bytes) {
			fs.mkdirSync(storage.tmpDir, { recursive: true });
			fs.writeFileSync(path.join(storage.tmpDir, `${sha}.crashed.part`), bytes.subarray(0, bytes.length / 2));
		},
		close: async () => fs.rmSync(root, { recursive: true, force: true })
	};
}

async function s3Harness(): Promise<Harness> {
	const s3 = await startTestS3();
	const storage = new S3PhotoStorage(s3.config);
	const list = async (prefix: string) =>
		((await storage.client.send(new ListObjectsV2Command({ Bucket: s3.config.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
	return {
		storage,
		listFinal: () => list('photos/'),
		listTmp: () => list(TMP_PREFIX),
		async leaveStrayTmp(sha, bytes) {
			await storage.client.send(new PutObjectCommand({ Bucket: s3.config.bucket, Key: `${TMP_PREFIX}${sha}.crashed`, Body: bytes.subarray(0, bytes.length / 2) }));
		},
		async close() {
			storage.client.destroy();
			await s3.stop();
		}
	};
}

describe.each([
	['local folder', localHarness],
	['S3 (s3rver on loopback)', s3Harness]
] as const)('photo storage: %s', (_name, make) => {
	let h: Harness;
	beforeAll(async () => {
		h = await make();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('stores and returns the same bytes under their SHA-256', async () => {
		const bytes = jpegVariant('roundtrip');
		const sha = sha256(bytes);
		expect(await h.storage.has(sha)).toBe(false);
		expect(await h.storage.get(sha)).toBeNull();
		await h.storage.put(sha, bytes);
		expect(await h.storage.has(sha)).toBe(true);
		const back = await h.storage.get(sha);
		expect(back).not.toBeNull();
		expect(sha256(back!)).toBe(sha);
		expect(Buffer.from(back!).equals(Buffer.from(bytes))).toBe(true);
		expect(await h.listTmp()).toEqual([]);
	});

	it('removes an object, idempotently, leaving the others', async () => {
		const gone = jpegVariant('to remove');
		const kept = jpegVariant('to keep');
		await h.storage.put(sha256(gone), gone);
		await h.storage.put(sha256(kept), kept);
		await h.storage.remove(sha256(gone));
		expect(await h.storage.has(sha256(gone))).toBe(false);
		expect(await h.storage.get(sha256(gone))).toBeNull();
		await h.storage.remove(sha256(gone)); // again: no error
		expect(sha256((await h.storage.get(sha256(kept)))!)).toBe(sha256(kept));
	});

	it('stores the same bytes once when put twice', async () => {
		const bytes = jpegVariant('twice');
		const sha = sha256(bytes);
		await h.storage.put(sha, bytes);
		const before = await h.listFinal();
		await h.storage.put(sha, bytes);
		expect(await h.listFinal()).toEqual(before);
		expect(before.filter((name) => name.includes(sha))).toHaveLength(1);
		expect(sha256((await h.storage.get(sha))!)).toBe(sha);
	});

	it('survives concurrent puts of the same bytes: one whole object, no leftovers', async () => {
		const bytes = jpegVariant('concurrent', 200_000);
		const sha = sha256(bytes);
		await Promise.all(Array.from({ length: 6 }, () => h.storage.put(sha, bytes)));
		expect((await h.listFinal()).filter((name) => name.includes(sha))).toHaveLength(1);
		expect(sha256((await h.storage.get(sha))!)).toBe(sha);
		expect(await h.listTmp()).toEqual([]);
	});

	it('leaves nothing readable when a put fails after its temporary copy', async () => {
		const bytes = jpegVariant('interrupted', 100_000);
		const sha = sha256(bytes);
		const crash = () => {
			throw new Error('connection lost');
		};
		await expect(h.storage.put(sha, bytes, { beforeCommit: crash })).rejects.toThrow('connection lost');
		expect(await h.storage.has(sha)).toBe(false);
		expect(await h.storage.get(sha)).toBeNull();
		expect(await h.listTmp()).toEqual([]);
		// The tablet retries: now it arrives whole.
		await h.storage.put(sha, bytes);
		expect(sha256((await h.storage.get(sha))!)).toBe(sha);
	});

	it('never serves a partial temporary object left by a crash', async () => {
		const bytes = jpegVariant('crashed');
		const sha = sha256(bytes);
		await h.leaveStrayTmp(sha, bytes);
		expect(await h.storage.has(sha)).toBe(false);
		expect(await h.storage.get(sha)).toBeNull();
		await h.storage.put(sha, bytes);
		expect(sha256((await h.storage.get(sha))!)).toBe(sha);
	});

	it('refuses bytes that do not match their hash, storing nothing', async () => {
		const bytes = jpegVariant('mismatch');
		const other = sha256(jpegVariant('something else'));
		const before = await h.listFinal();
		await expect(h.storage.put(other, bytes)).rejects.toThrow(/do not match/);
		await expect(h.storage.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
		expect(await h.storage.has(other)).toBe(false);
		expect(await h.listFinal()).toEqual(before);
	});
});

it('names S3 objects by content only', () => {
	expect(finalKey('ab'.repeat(32))).toBe(`photos/${'ab'.repeat(32)}.jpg`);
});
