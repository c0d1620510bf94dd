/*
 * Pull cursors. A cursor is the server's record of WHAT IT SENT, not of when: a fingerprint per
 * visit (hash of the exact `SyncVisit` sent) and one of the service catalogue. A pull compares
 * the user's visits now with that record: a new or different fingerprint is sent, a visit
 * missing now is withdrawn.
 *
 * Why not a change counter: every use case that touches visits, requests or residents (owned by
 * other modules) would have to bump it, and under PostgreSQL a counter taken before commit can
 * be passed by a reader while a slower transaction still holds a smaller number — that change
 * would never be pulled. Fingerprints need neither cooperation nor commit ordering and also
 * catch changes that alter no visit row (a resident's new phone number, a reassignment).
 *
 * The cursor is opaque to the device; tampering only changes what the device receives of its
 * own visits, so it is not signed.
 */
import { createHash } from 'node:crypto';

const PREFIX = 'c1.';

export interface CursorState {
	/** Visit id → fingerprint of what was sent. */
	visits: Record<string, string>;
	/** Fingerprint of the catalogue sent ('' before the first pull). */
	services: string;
	/** Ids of the field notices sent that are still inside the notice window (issue 15). */
	notices?: string[];
}

/** 72 bits of SHA-256: a missed change would need a collision between two versions of a visit. */
export function fingerprint(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 12);
}

export function encodeCursor(state: CursorState): string {
	return PREFIX + Buffer.from(JSON.stringify({ v: state.visits, s: state.services, n: state.notices ?? [] }), 'utf8').toString('base64url');
}

/** The state a cursor stands for, or null when it is absent, foreign or damaged (→ full reset). */
export function decodeCursor(cursor: string | null | undefined): CursorState | null {
	if (!cursor || !cursor.startsWith(PREFIX)) return null;
	try {
		const raw: unknown = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
		if (!raw || typeof raw !== 'object') return null;
		const { v, s, n } = raw as { v?: unknown; s?: unknown; n?: unknown };
		if (!v || typeof v !== 'object' || Array.isArray(v) || typeof s !== 'string') return null;
		const visits: Record<string, string> = {};
		for (const [id, fp] of Object.entries(v)) {
			if (typeof fp !== 'string') return null;
			visits[id] = fp;
		}
		// A cursor from before notices existed has none: every notice in the window is new to it.
		const notices = Array.isArray(n) ? n.filter((id): id is string => typeof id === 'string').slice(0, 500) : [];
		return { visits, services: s, notices };
	} catch {
		return null;
	}
}
