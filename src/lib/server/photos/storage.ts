/*
 * Where the bytes of identity-verification photos live. Content-addressed: a photo is stored
 * under the SHA-256 of its bytes, so the same bytes are stored once whatever the photo id, and
 * a stored object can never differ from its name. Two adapters: a folder under the data
 * directory (./local-storage.ts, the default) and S3-compatible object storage (./s3-storage.ts)
 * for deployments on several servers. Photo rows in the database point at these objects; a row
 * is written only after its bytes are stored (./upload.ts), so a row always has its bytes.
 */
import path from 'node:path';
import { config, type AppConfig } from '$lib/server/config';
import { LocalPhotoStorage } from './local-storage';

export interface PutOptions {
	/**
	 * Called once the temporary copy is complete, before it becomes the final object. A throw
	 * abandons the put. Tests use it to fail at the worst moment (an interrupted upload).
	 */
	beforeCommit?: () => void | Promise<void>;
}

export interface PhotoStorage {
	readonly kind: 'local' | 's3';
	/**
	 * Stores `bytes` under `sha256`: first under a temporary name, then atomically (folder: a
	 * rename) or as a whole (S3: a server-side copy) under the final one. Idempotent: bytes
	 * already stored are not written again. Throws when the bytes do not hash to `sha256`.
	 */
	put(sha256: string, bytes: Uint8Array, options?: PutOptions): Promise<void>;
	/** The stored bytes, or null when nothing is stored under this hash. */
	get(sha256: string): Promise<Uint8Array | null>;
	has(sha256: string): Promise<boolean>;
	/** Deletes the object of a hash no photo row points at any more; nothing stored is no error. */
	remove(sha256: string): Promise<void>;
	/** Every stored object (the janitor, ./janitor.ts): its hash and last write (or touch) time. */
	listObjects(): AsyncIterable<StoredItem>;
	/** Temporary uploads left behind (a put that never finished); `name` is for removeTemp. */
	listTemps(): AsyncIterable<StoredItem>;
	removeTemp(name: string): Promise<void>;
	/** Last write or touch time of a stored object (ms), or null when there is none. */
	modifiedAt(sha256: string): Promise<number | null>;
}

/** An object or temporary upload as the janitor sees it. */
export interface StoredItem {
	name: string;
	modifiedMs: number;
}

export async function createPhotoStorage(cfg: Pick<AppConfig, 'photoStorage' | 'dataDir' | 's3'>): Promise<PhotoStorage> {
	if (cfg.photoStorage === 's3') {
		if (!cfg.s3.bucket) throw new Error('PHOTO_STORAGE=s3 needs S3_BUCKET (and usually S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY)');
		// Loaded only when configured: the AWS SDK is large and most installs use the folder.
		const { S3PhotoStorage } = await import('./s3-storage');
		return new S3PhotoStorage(cfg.s3);
	}
	return new LocalPhotoStorage(path.join(cfg.dataDir, 'photos'));
}

let instance: Promise<PhotoStorage> | null = null;

/** The server's photo storage, from `config()`. */
export function photoStorage(): Promise<PhotoStorage> {
	instance ??= createPhotoStorage(config());
	return instance;
}
