/**
 * "This tablet was revoked and erased": kept in localStorage after the wipe so the field app can
 * say why its data is gone, until someone signs in again. Only two times: nothing personal.
 */
export interface WipeNotice {
	revokedAt: string | null;
	wipedAt: string;
}

const KEY = 'doorstep.deviceWiped';

export function wipeNotice(): WipeNotice | null {
	try {
		const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as WipeNotice | null;
		return value && typeof value.wipedAt === 'string' ? value : null;
	} catch {
		return null;
	}
}

export function rememberWipe(revokedAt: string | null, now: Date = new Date()): WipeNotice {
	const notice: WipeNotice = { revokedAt, wipedAt: now.toISOString() };
	localStorage.setItem(KEY, JSON.stringify(notice));
	return notice;
}

export function forgetWipe(): void {
	localStorage.removeItem(KEY);
}
