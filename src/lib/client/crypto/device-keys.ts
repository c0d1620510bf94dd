/*
 * The data key's life on this tablet (issue 6, app lock): where its wrappings are kept, setting
 * the PIN (new key, or the recovered one after too many wrong PINs), unlocking, counting wrong
 * PINs. Only WRAPPINGS are stored (localStorage, per user): the PIN's and the recovery secret's.
 * Neither the PIN nor the secret nor the plain key is ever written anywhere.
 */
import { calibrateIterations, fromBase64, newDataKey, rawDataKey, rawWrappingKey, unwrapDataKey, unwrapWithPin, wrapDataKey, wrapWithPin, type PinWrapping, type WrappedKey } from './keys';
import { dataKeysFromRaw, type DataKeys } from './data-keys';
import { afterWrongPin, type WrongPinOutcome } from './pin-policy';

export interface LockRecord {
	/** The PIN's wrapping; null after too many wrong PINs (recovery needs an online sign-in). */
	pin: PinWrapping | null;
	/** The wrapping under the server-held recovery secret. */
	recovery: WrappedKey | null;
	wrongPins: number;
	/**
	 * Set when too many wrong PINs deleted the PIN wrapping: the server session on this tablet is
	 * ended before a new PIN may be set, so recovery needs the password (a real sign-in), not
	 * just the session cookie left on a lost tablet.
	 */
	signOutFirst?: boolean;
}

/** Minimal storage interface (localStorage in the app, a Map in unit tests). */
export interface KeyValueStore {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

const storeKey = (userId: string) => `doorstep.lock.${userId}`;
const defaultStore = (): KeyValueStore => globalThis.localStorage;

export function readLock(userId: string, store = defaultStore()): LockRecord | null {
	try {
		const v = JSON.parse(store.getItem(storeKey(userId)) ?? 'null') as LockRecord | null;
		return v && typeof v === 'object' ? v : null;
	} catch {
		return null;
	}
}

function writeLock(userId: string, record: LockRecord, store: KeyValueStore): void {
	store.setItem(storeKey(userId), JSON.stringify(record));
}

/** After the forced sign-out (see `signOutFirst`): the next sign-in may set a new PIN. */
export function signedOutAfterWipe(userId: string, store = defaultStore()): void {
	const record = readLock(userId, store);
	if (record) writeLock(userId, { ...record, signOutFirst: false }, store);
}

/** Forgets the wrappings, e.g. when the user's store was deleted (nothing left to open). */
export function forgetLock(userId: string, store = defaultStore()): void {
	store.removeItem(storeKey(userId));
}

/** Whether the PIN can open this user's data here (else: set a PIN at an online sign-in). */
export const hasPin = (userId: string, store = defaultStore()) => !!readLock(userId, store)?.pin;

/**
 * Sets a (new) PIN with the server's recovery secret (base64, 32 bytes). The data key is the one
 * the recovery wrapping holds when it opens with this secret (work kept after a PIN wipe), else a
 * new one. Returns the key for use (in memory only).
 */
export async function setUpPin(
	userId: string,
	pin: string,
	secretB64: string,
	{ iterations, store = defaultStore(), onKey }: { iterations?: number; store?: KeyValueStore; onKey?: KeyHandOff } = {}
): Promise<DataKeys> {
	const secretKey = await rawWrappingKey(fromBase64(secretB64));
	const previous = readLock(userId, store);
	let exportable: CryptoKey | null = null;
	if (previous?.recovery) {
		try {
			exportable = await unwrapDataKey(previous.recovery, secretKey, true);
		} catch {
			exportable = null; // another secret (server reset): the old store cannot be opened
		}
	}
	exportable ??= await newDataKey();
	const recovery = await wrapDataKey(exportable, secretKey);
	const pinWrapping = await wrapWithPin(exportable, pin, iterations ?? (await calibrateIterations()));
	writeLock(userId, { pin: pinWrapping, recovery, wrongPins: 0 }, store);
	await onKey?.(exportable);
	return dataKeysFromRaw(await rawDataKey(exportable));
}

/**
 * Given the opened (extractable) data key before it becomes DataKeys, to wrap it once more for
 * a reload (session-resume.ts). It must not keep the key.
 */
export type KeyHandOff = (key: CryptoKey) => Promise<void>;

export type UnlockResult = { ok: true; keys: DataKeys } | { ok: false; noPin: true } | ({ ok: false; noPin: false } & WrongPinOutcome);

/** Opens the data key with the PIN; a wrong PIN counts, and the last one deletes the PIN wrapping. */
export async function unlockWithPin(userId: string, pin: string, store = defaultStore(), onKey?: KeyHandOff): Promise<UnlockResult> {
	const record = readLock(userId, store);
	if (!record?.pin) return { ok: false, noPin: true };
	const key = await unwrapWithPin(record.pin, pin, true);
	if (key) {
		if (record.wrongPins) writeLock(userId, { ...record, wrongPins: 0 }, store);
		await onKey?.(key);
		return { ok: true, keys: await dataKeysFromRaw(await rawDataKey(key)) };
	}
	const outcome = afterWrongPin(record.wrongPins);
	writeLock(userId, { ...record, wrongPins: outcome.attempts, pin: outcome.wipeAccess ? null : record.pin, signOutFirst: outcome.wipeAccess || record.signOutFirst }, store);
	return { ok: false, noPin: false, ...outcome };
}
