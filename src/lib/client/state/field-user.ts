/**
 * Who uses the field app on this tablet, remembered so the app opens offline. Only the id and
 * display name: nothing that signs anyone in (the session cookie stays httpOnly on the server).
 */
export interface FieldUser {
	id: string;
	displayName: string;
	role: string;
}

const KEY = 'doorstep.fieldUser';

export function rememberedUser(): FieldUser | null {
	try {
		const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as FieldUser | null;
		return value && typeof value.id === 'string' ? value : null;
	} catch {
		return null;
	}
}

export function rememberUser(user: FieldUser): void {
	localStorage.setItem(KEY, JSON.stringify({ id: user.id, displayName: user.displayName, role: user.role }));
}

export function forgetUser(): void {
	localStorage.removeItem(KEY);
}

/**
 * How long the start waits for the server. A hospital's or nursing home's Wi-Fi that is joined
 * but leads nowhere (a captive portal, a dead uplink) leaves a request hanging for a minute or
 * more, and the team would face a blank frame at the door; after this the app opens as offline.
 */
export const CURRENT_USER_TIMEOUT_MS = 5000;

/**
 * Asks the server who is signed in. `offline` when it cannot be reached in time (the app then
 * trusts the remembered user), `signed_out` when the server says there is no session.
 */
export async function fetchCurrentUser(timeoutMs = CURRENT_USER_TIMEOUT_MS): Promise<FieldUser | 'signed_out' | 'offline'> {
	try {
		// Matches the page's <link rel="preload"> (hooks.server.ts), so the answer already on its
		// way is used; the server sends it with Cache-Control: no-store, so no cache keeps it.
		const res = await fetch('/api/me', { signal: AbortSignal.timeout(timeoutMs) });
		if (res.status === 401) return 'signed_out';
		if (!res.ok) return 'offline';
		return (await res.json()) as FieldUser;
	} catch {
		return 'offline';
	}
}
