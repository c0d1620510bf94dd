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
 * Asks the server who is signed in. `offline` when it cannot be reached (the app then trusts the
 * remembered user), `signed_out` when the server says there is no session.
 */
export async function fetchCurrentUser(): Promise<FieldUser | 'signed_out' | 'offline'> {
	try {
		const res = await fetch('/api/me', { headers: { accept: 'application/json' }, cache: 'no-store' });
		if (res.status === 401) return 'signed_out';
		if (!res.ok) return 'offline';
		return (await res.json()) as FieldUser;
	} catch {
		return 'offline';
	}
}
