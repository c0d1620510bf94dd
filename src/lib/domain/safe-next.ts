/*
 * Where to go after signing in or switching the language (`next`): only a path of this site.
 * Browsers read `\` as `/` and drop tabs and newlines, so `/\evil.example` and `/\t/evil.example`
 * lead to another site as surely as `//evil.example`; the same characters percent-encoded are
 * refused too, as is anything that does not decode. Pure, no I/O.
 */

const MAX_NEXT_LENGTH = 2048;
// Control characters (C0, DEL, C1) and the backslash.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;
const BASE = 'http://doorstep.invalid';

/** Decodes until nothing changes (at most 3 rounds); null when a round fails or never settles. */
function fullyDecoded(text: string): string | null {
	let current = text;
	for (let round = 0; round < 3; round++) {
		let next: string;
		try {
			next = decodeURIComponent(current);
		} catch {
			return null;
		}
		if (next === current) return current;
		current = next;
	}
	return null;
}

/** `next` when it is a same-origin path, else null (the caller goes to the role's home). */
export function safeNext(next: unknown): string | null {
	if (typeof next !== 'string' || next.length === 0 || next.length > MAX_NEXT_LENGTH) return null;
	if (!next.startsWith('/') || next.startsWith('//') || UNSAFE.test(next)) return null;
	const decoded = fullyDecoded(next);
	if (decoded === null || UNSAFE.test(decoded) || decoded.startsWith('//')) return null;
	let url: URL;
	try {
		url = new URL(next, BASE);
	} catch {
		return null;
	}
	return url.origin === BASE ? next : null;
}
