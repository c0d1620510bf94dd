import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * Reads a browser profile folder as a thief with the tablet's disk would: every file, as bytes.
 * Chromium keeps IndexedDB in LevelDB (values written to the uncompressed .log first; names in
 * V8's serialisation are UTF-16LE when not Latin-1) and Blobs as plain files beside it, so a
 * text is searched for in UTF-8 and in UTF-16LE.
 */

export interface ProfileFile {
	/** Path relative to the profile folder. */
	name: string;
	bytes: Buffer;
}

export function readProfile(dir: string): ProfileFile[] {
	const out: ProfileFile[] = [];
	const walk = (at: string) => {
		for (const entry of readdirSync(at, { withFileTypes: true })) {
			const full = path.join(at, entry.name);
			if (entry.isDirectory()) walk(full);
			// Sockets and the like (SingletonSocket) are not data.
			else if (entry.isFile()) out.push({ name: path.relative(dir, full), bytes: readFileSync(full) });
		}
	};
	walk(dir);
	return out;
}

/** The files that hold `needle` (a text in UTF-8 or UTF-16LE, or exact bytes). */
export function filesHolding(files: ProfileFile[], needle: string | Uint8Array): string[] {
	const forms = typeof needle === 'string' ? [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')] : [Buffer.from(needle)];
	return files.filter((f) => forms.some((form) => f.bytes.includes(form))).map((f) => f.name);
}

/**
 * Up to `count` 64-byte runs of `bytes`, spread over it, that only these bytes are likely to
 * hold: at least 40 distinct byte values each. (A flat fake-camera frame ends in runs of
 * repeated bytes that any file with a zero-filled page also holds.)
 */
export function distinctiveRuns(bytes: Uint8Array, count = 4): { at: number; run: Uint8Array }[] {
	const candidates: { at: number; run: Uint8Array }[] = [];
	for (let at = 0; at + 64 <= bytes.length; at += 64) {
		const run = bytes.subarray(at, at + 64);
		if (new Set(run).size >= 40) candidates.push({ at, run });
	}
	if (candidates.length <= count) return candidates;
	return Array.from({ length: count }, (_, i) => candidates[Math.floor((i * (candidates.length - 1)) / (count - 1))]);
}

/**
 * A property as V8's serialiser writes it into an IndexedDB value when key and value are short
 * Latin-1 strings: `"` tag, length, bytes, for each. A 4-digit value alone (an ID's last four) is
 * in any binary file by chance; with its key it is only where a row holds it in the clear.
 */
export function v8StringProperty(key: string, value: string): Buffer {
	const str = (s: string) => Buffer.concat([Buffer.from([0x22, s.length]), Buffer.from(s, 'latin1')]);
	if (key.length > 127 || value.length > 127) throw new RangeError('short strings only');
	return Buffer.concat([str(key), str(value)]);
}
