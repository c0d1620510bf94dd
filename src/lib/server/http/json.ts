/**
 * JSON with a bounded nesting depth. `JSON.parse` itself copes with `[[[[…` five megabytes
 * deep, but every schema and walker after it recurses and would overflow the stack: the depth
 * is checked on the text first, in one pass that allocates nothing. No body of ours nests
 * deeper than 10.
 */
export const JSON_MAX_DEPTH = 32;

/** The greatest nesting depth of `[`/`{` outside strings, stopping once it passes `max`. */
export function jsonDepthExceeds(text: string, max: number = JSON_MAX_DEPTH): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) {
			if (++depth > max) return true;
		} else if (c === 0x5d || c === 0x7d) depth--;
	}
	return false;
}

/** The parsed value; not ok for text that is not JSON or nests deeper than `max`. */
export function parseBoundedJson(text: string, max: number = JSON_MAX_DEPTH): { ok: true; value: unknown } | { ok: false } {
	if (jsonDepthExceeds(text, max)) return { ok: false };
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}
