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
import type { PhotoStorage, PutOptions, StoredItem } from './storage';

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

	async *listObjects(): AsyncGenerator<StoredItem> {
		for await (const file of walk(this.root)) {
			const match = HASH_FILE.exec(path.basename(file));
			if (!match) continue;
			const stat = await fs.stat(file).catch(() => null);
			if (stat) yield { name: match[1], modifiedMs: stat.mtimeMs };
		}
	}

	async *listTemps(): AsyncGenerator<StoredItem> {
		let names: string[];
		try {
			names = await fs.readdir(this.tmpDir);
		} catch (err) {
			if (isMissing(err)) return;
			throw err;
		}
		for (const name of names) {
			const stat = await fs.stat(path.join(this.tmpDir, name)).catch(() => null);
			if (stat?.isFile()) yield { name, modifiedMs: stat.mtimeMs };
		}
	}

	async removeTemp(name: string): Promise<void> {
		if (name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new Error('not a temporary upload name');
		await fs.rm(path.join(this.tmpDir, name), { force: true });
	}

	async modifiedAt(sha256: string): Promise<number | null> {
		const stat = await fs.stat(this.pathOf(sha256)).catch(() => null);
		return stat ? stat.mtimeMs : null;
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
		if (await this.has(sha256)) {
			// Content-addressed: the same name holds the same bytes. Touched, so the janitor (which
			// removes objects no row points at only after an hour) leaves it to this upload's row.
			const now = new Date();
			await fs.utimes(final, now, now).catch(() => {});
			return;
		}
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

const HASH_FILE = /^([0-9a-f]{64})\.jpg$/;

async function* walk(dir: string): AsyncGenerator<string> {
	let entries;
	try {
		entries = await fs.readdir(dir, { withFileTypes: true });
	} catch (err) {
		if (isMissing(err)) return;
		throw err;
	}
	for (const entry of entries) {
		if (entry.name === '.tmp') continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(full);
		else if (entry.isFile()) yield full;
	}
}

function isMissing(err: unknown): boolean {
	const code = (err as NodeJS.ErrnoException | null)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}
