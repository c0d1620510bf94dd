/*
 * Photo storage in a folder (default: <DATA_DIR>/photos), sharded by hash so no folder grows
 * beyond a few thousand entries: ab/cd/abcd…(64 hex).jpg. A put writes a temporary file in
 * <root>/.tmp (same file system), flushes it to disk and renames it over the final name: rename
 * is atomic, so a reader sees either no file or the whole file, never a partial one, even if the
 * server dies half-way. A crash leaves at most a stray file in .tmp, which no read looks at.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkContent } from './content';
import type { PhotoStorage, PutOptions } from './storage';

export class LocalPhotoStorage implements PhotoStorage {
	readonly kind = 'local' as const;

	constructor(readonly root: string) {}

	/** The final file of a hash (exported for tests and operators). */
	pathOf(sha256: string): string {
		checkContent(sha256);
		return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.jpg`);
	}

	get tmpDir(): string {
		return path.join(this.root, '.tmp');
	}

	async has(sha256: string): Promise<boolean> {
		try {
			return (await fs.stat(this.pathOf(sha256))).isFile();
		} catch (err) {
			if (isMissing(err)) return false;
			throw err;
		}
	}

	async remove(sha256: string): Promise<void> {
		try {
			await fs.unlink(this.pathOf(sha256));
		} catch (err) {
			if (!isMissing(err)) throw err;
		}
	}

	async get(sha256: string): Promise<Uint8Array | null> {
		try {
			return new Uint8Array(await fs.readFile(this.pathOf(sha256)));
		} catch (err) {
			if (isMissing(err)) return null;
			throw err;
		}
	}

	async put(sha256: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
		checkContent(sha256, bytes);
		const final = this.pathOf(sha256);
		if (await this.has(sha256)) return; // content-addressed: the same name holds the same bytes
		await fs.mkdir(this.tmpDir, { recursive: true });
		await fs.mkdir(path.dirname(final), { recursive: true });
		// A unique temporary name per put: concurrent puts of the same bytes never share a file.
		const tmp = path.join(this.tmpDir, `${sha256}.${randomUUID()}.part`);
		try {
			const file = await fs.open(tmp, 'wx');
			try {
				await file.writeFile(bytes);
				await file.sync(); // on disk before it gets its final name
			} finally {
				await file.close();
			}
			await options.beforeCommit?.();
			// Concurrent puts of the same bytes each rename a complete, identical file: last wins.
			await fs.rename(tmp, final);
		} catch (err) {
			await fs.rm(tmp, { force: true });
			throw err;
		}
	}
}

function isMissing(err: unknown): boolean {
	const code = (err as NodeJS.ErrnoException | null)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}
