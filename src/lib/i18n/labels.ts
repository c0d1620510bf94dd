import { m } from '$lib/paraglide/messages.js';
import type { Role } from '$lib/domain/roles';

type MessageFn = (params?: Record<string, unknown>) => string;
const messages = m as unknown as Record<string, MessageFn | undefined>;

/**
 * Translates a message code that came from the domain or the server (error codes, statuses…).
 * Unknown codes fall back to a generic message rather than showing a raw code to the user.
 */
export function t(code: string, params?: Record<string, unknown>): string {
	const fn = messages[code];
	return fn ? fn(params) : m.err_unknown();
}

export const roleLabel = (role: Role): string => t(`role_${role}`);
export const statusLabel = (status: string): string => t(`status_${status}`);
