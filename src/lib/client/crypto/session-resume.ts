/*
 * Staying unlocked across a full reload within the idle window (issue 13): "重新加载" for an
 * update, a pull-to-refresh, or a deep link opened again must not ask for the PIN once more —
 * without ever writing the data key in the clear. See docs/architecture.md § Unlocked across a
 * reload for the reasoning.
 *
 * At unlock a fresh NON-EXTRACTABLE AES-GCM key is made (WebCrypto: no script can read its bytes)
 * and kept in IndexedDB (structured clone keeps it non-extractable); the data key is wrapped
 * with it and the wrapping goes to sessionStorage with an expiry (last activity + idle time).
 * Both halves are needed: the wrapping lives only in this tab's session (gone when the tab or
 * the browser closes), the key only in this origin's IndexedDB. On a reload the two open the
 * data key again if the expiry has not passed, and the pair is replaced by a new one (each pair
 * opens once). Lock, sign-out, wipe and an expired record delete both.
 */

const DB_NAME = 'doorstep-resume';
const STORE = 'keys';
const DATA_KEY: AesKeyGenParams = { name: 'AES-GCM', length: 256 };
const sessionKey = (userId: string) => `doorstep.resume.${userId}`;

export interface ResumeRecord {
	iv: string;
	wrapped: string;
	/** Epoch ms after which the record opens nothing (last activity + the idle-lock time). */
	expiresAt: number;
}

/** What the module needs from the browser (injectable for tests: fake-indexeddb, a Map). */
export interface ResumeEnv {
	indexedDB: IDBFactory;
	session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
	subtle: SubtleCrypto;
}

const browserEnv = (): ResumeEnv => ({ indexedDB: globalThis.indexedDB, session: globalThis.sessionStorage, subtle: globalThis.crypto.subtle });

const b64 = (bytes: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function openDb(idb: IDBFactory): Promise<IDBDatabase> {
	const req = idb.open(DB_NAME, 1);
	req.onupgradeneeded = () => req.result.createObjectStore(STORE);
	return request(req);
}

async function withStore<T>(env: ResumeEnv, mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	const db = await openDb(env.indexedDB);
	try {
		const tx = db.transaction(STORE, mode);
		const result = await request(work(tx.objectStore(STORE)));
		await new Promise<void>((resolve, reject) => {
			tx.oncomplete = () => resolve();
			tx.onerror = tx.onabort = () => reject(tx.error);
		});
		return result;
	} finally {
		db.close();
	}
}

function readRecord(userId: string, env: ResumeEnv): ResumeRecord | null {
	try {
		const v = JSON.parse(env.session.getItem(sessionKey(userId)) ?? 'null') as ResumeRecord | null;
		return v && typeof v.iv === 'string' && typeof v.wrapped === 'string' && typeof v.expiresAt === 'number' ? v : null;
	} catch {
		return null;
	}
}

/**
 * After an unlock: wraps `dataKey` (the extractable key the PIN or recovery wrapping opened)
 * under a new non-extractable key. `expiresAt`: last activity + idle time.
 */
export async function saveResume(userId: string, dataKey: CryptoKey, expiresAt: number, env = browserEnv()): Promise<void> {
	const wrappingKey = (await env.subtle.generateKey(DATA_KEY, false, ['wrapKey', 'unwrapKey'])) as CryptoKey;
	const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
	const wrapped = await env.subtle.wrapKey('raw', dataKey, wrappingKey, { name: 'AES-GCM', iv });
	await withStore(env, 'readwrite', (s) => s.put(wrappingKey, userId));
	env.session.setItem(sessionKey(userId), JSON.stringify({ iv: b64(iv), wrapped: b64(wrapped), expiresAt } satisfies ResumeRecord));
}

/** Activity: moves the expiry on (nothing else changes; the wrapping stays as it is). */
export function extendResume(userId: string, expiresAt: number, env = browserEnv()): void {
	const record = readRecord(userId, env);
	if (record && expiresAt > record.expiresAt) env.session.setItem(sessionKey(userId), JSON.stringify({ ...record, expiresAt }));
}

/**
 * At start: the data key again (extractable, for the next saveResume; the caller turns it into
 * DataKeys), or null — no record in this tab, expired, or its key gone. The pair is deleted
 * either way: each opens once.
 */
export async function takeResume(userId: string, now: number, env = browserEnv()): Promise<CryptoKey | null> {
	const record = readRecord(userId, env);
	try {
		if (!record || now >= record.expiresAt) return null;
		const wrappingKey = await withStore<CryptoKey | undefined>(env, 'readonly', (s) => s.get(userId) as IDBRequest<CryptoKey | undefined>);
		if (!wrappingKey) return null;
		return await env.subtle.unwrapKey('raw', unb64(record.wrapped), wrappingKey, { name: 'AES-GCM', iv: unb64(record.iv) }, DATA_KEY, true, ['encrypt', 'decrypt']);
	} catch {
		return null;
	} finally {
		await forgetResume(userId, env);
	}
}

/** Whether a reload may open unlocked (a record in this tab, not expired): read, not taken. */
export function hasResume(userId: string, now: number, env: Pick<ResumeEnv, 'session'> = { session: globalThis.sessionStorage }): boolean {
	const record = readRecord(userId, env as ResumeEnv);
	return !!record && now < record.expiresAt;
}

/** Lock, sign-out, wipe: neither half is left. */
export async function forgetResume(userId: string, env = browserEnv()): Promise<void> {
	env.session.removeItem(sessionKey(userId));
	await withStore(env, 'readwrite', (s) => s.delete(userId)).catch(() => undefined);
}
