import { m } from '$lib/paraglide/messages.js';
import { codes } from './codes.generated.js';
import type { Role } from '$lib/domain/roles';
import type { PhotoKind } from '$lib/domain/photos';

/*
 * Lookups by name go through `codes` (scripts/i18n-codes.js writes it: the messages the sources
 * name as strings or by prefix), never through Paraglide's whole namespace `m`, which would put
 * every message of both languages into every page's JavaScript.
 */

/**
 * Translates a message code that came from the domain or the server (error codes, statuses…).
 * Unknown codes fall back to a generic message rather than showing a raw code to the user.
 */
export function t(code: string, params?: Record<string, unknown>): string {
	const fn = Object.hasOwn(codes, code) ? codes[code] : undefined;
	return fn ? fn(params) : m.err_unknown();
}

export const roleLabel = (role: Role): string => t(`role_${role}`);
export const statusLabel = (status: string): string => t(`status_${status}`);

const PHOTO_KIND_LABELS: Record<PhotoKind, () => string> = {
	id_front: m.photo_id_front,
	id_back: m.photo_id_back,
	staff_with_customer: m.photo_staff_with_customer,
	signed_document: m.photo_signed_document,
	other: m.photo_other
};

export const photoKindLabel = (kind: string): string => (Object.hasOwn(PHOTO_KIND_LABELS, kind) ? PHOTO_KIND_LABELS[kind as PhotoKind]() : m.err_unknown());
