/*
 * Photo storage in S3-compatible object storage (AWS S3, MinIO, Ceph, cloud vendors' S3 APIs),
 * for deployments on several servers. A put uploads to a temporary key (`tmp/…`, unique per put)
 * with a Content-MD5 the store verifies, then copies it server-side to the final key
 * `photos/<sha256>.jpg` and deletes the temporary one. An object appears under its final key
 * only whole (S3 never exposes a half-written object, and the copy is a single request), so an
 * interrupted upload leaves nothing under the final key — at most a `tmp/` object, which a
 * bucket lifecycle rule may expire.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
	CopyObjectCommand,
	DeleteObjectCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client
} from '@aws-sdk/client-s3';
import type { AppConfig } from '$lib/server/config';
import { checkContent } from './content';
import type { PhotoStorage, PutOptions, StoredItem } from './storage';

export const finalKey = (sha256: string): string => `photos/${sha256}.jpg`;
export const TMP_PREFIX = 'tmp/';

function isNotFound(err: unknown): boolean {
	const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
	return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchKey';
}

export class S3PhotoStorage implements PhotoStorage {
	readonly kind = 's3' as const;
	readonly client: S3Client;
	readonly bucket: string;

	constructor(cfg: AppConfig['s3']) {
		this.bucket = cfg.bucket;
		this.client = new S3Client({
			region: cfg.region,
			endpoint: cfg.endpoint ?? undefined,
			forcePathStyle: cfg.forcePathStyle,
			credentials:
				cfg.accessKeyId && cfg.secretAccessKey ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } : undefined,
			// Checksums only where the API demands them: many S3-compatible stores reject the
			// SDK's newer default (CRC32 trailers). Integrity comes from Content-MD5 and the hash.
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED'
		});
	}

	async has(sha256: string): Promise<boolean> {
		checkContent(sha256);
		try {
			await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: finalKey(sha256) }));
			return true;
		} catch (err) {
			if (isNotFound(err)) return false;
			throw err;
		}
	}

	async remove(sha256: string): Promise<void> {
		checkContent(sha256);
		// S3 answers a delete of a missing key with success: idempotent as it is.
		await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: finalKey(sha256) }));
	}

	private async *list(prefix: string): AsyncGenerator<{ key: string; modifiedMs: number }> {
		let token: string | undefined;
		do {
			const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }));
			for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, modifiedMs: o.LastModified?.getTime() ?? 0 };
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
	}

	async *listObjects(): AsyncGenerator<StoredItem> {
		for await (const { key, modifiedMs } of this.list('photos/')) {
			const match = /^photos\/([0-9a-f]{64})\.jpg$/.exec(key);
			if (match) yield { name: match[1], modifiedMs };
		}
	}

	async *listTemps(): AsyncGenerator<StoredItem> {
		for await (const { key, modifiedMs } of this.list(TMP_PREFIX)) yield { name: key.slice(TMP_PREFIX.length), modifiedMs };
	}

	async removeTemp(name: string): Promise<void> {
		if (!name || name.includes('/')) throw new Error('not a temporary upload name');
		await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: `${TMP_PREFIX}${name}` }));
	}

	async modifiedAt(sha256: string): Promise<number | null> {
		checkContent(sha256);
		try {
			const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: finalKey(sha256) }));
			return head.LastModified?.getTime() ?? 0;
		} catch (err) {
			if (isNotFound(err)) return null;
			throw err;
		}
	}

	async get(sha256: string): Promise<Uint8Array | null> {
		checkContent(sha256);
		try {
			const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: finalKey(sha256) }));
			return out.Body ? await out.Body.transformToByteArray() : null;
		} catch (err) {
			if (isNotFound(err)) return null;
			throw err;
		}
	}

	async put(sha256: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
		checkContent(sha256, bytes);
		if (await this.has(sha256)) {
			// Content-addressed: the same key holds the same bytes. Touched (copied onto itself), so
			// the janitor, which removes objects no row points at only after an hour, leaves it.
			await this.client
				.send(new CopyObjectCommand({ Bucket: this.bucket, Key: finalKey(sha256), CopySource: `${this.bucket}/${finalKey(sha256)}`, ContentType: 'image/jpeg', MetadataDirective: 'REPLACE' }))
				.catch(() => {});
			return;
		}
		const tmp = `${TMP_PREFIX}${sha256}.${randomUUID()}`;
		try {
			await this.client.send(
				new PutObjectCommand({
					Bucket: this.bucket,
					Key: tmp,
					Body: bytes,
					ContentLength: bytes.byteLength,
					ContentType: 'image/jpeg',
					ContentMD5: createHash('md5').update(bytes).digest('base64')
				})
			);
			await options.beforeCommit?.();
			try {
				await this.client.send(
					new CopyObjectCommand({
						Bucket: this.bucket,
						Key: finalKey(sha256),
						CopySource: `${this.bucket}/${tmp}`,
						ContentType: 'image/jpeg',
						MetadataDirective: 'REPLACE'
					})
				);
			} catch (err) {
				// Concurrent puts of the same bytes (a tablet's retry racing its first attempt): a
				// store may fail all but one copy onto the key (s3rver does, with a 500). The key
				// names its content, so if it is there now, these bytes are stored.
				if (!(await this.has(sha256).catch(() => false))) throw err;
			}
		} finally {
			// Best effort: a temporary object left by a failed delete is harmless (never read).
			await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tmp })).catch(() => {});
		}
	}
}
