import { m } from '$lib/paraglide/messages.js';

const messages = m as unknown as Record<string, ((params?: Record<string, unknown>) => string) | undefined>;

/**
 * The translation of `prefix + code`, or the code itself: audit actions are written by several
 * modules, and a new action without a label yet should still show something meaningful rather
 * than a generic "unknown" text.
 */
export function codeLabel(prefix: string, code: string): string {
	return messages[prefix + code]?.() ?? code;
}
