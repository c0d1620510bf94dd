import { getContext, setContext } from 'svelte';
import type { DoorstepDb } from '$lib/client/db';
import { LOCK_IDLE_MINUTES, lockIdleMinutesOf } from '$lib/domain/lock-policy';
import { CHECK_IN_DISTANCE, checkInDistanceOf } from '$lib/domain/check-in';
import type { SyncEngine } from '$lib/client/sync/engine';
import type { Transport } from '$lib/client/sync/transport';
import { forgetWipe, rememberWipe, wipeNotice, type WipeNotice } from './wipe-notice';
import type { SyncStatus } from '$lib/client/sync/status';
import type { PhotoQueueStatus, PhotoUploadQueue } from '$lib/client/photos/upload-queue';
import { fetchCurrentUser, forgetUser, rememberUser, rememberedUser, type FieldUser } from './field-user';
import { forgetLock, hasPin, readLock, setUpPin, signedOutAfterWipe, unlockWithPin, type UnlockResult } from '$lib/client/crypto/device-keys';
import { wireAutoLock } from './auto-lock';
import { idleLockMs } from '$lib/domain/customer-view';
import type { DataKeys } from '$lib/client/crypto/data-keys';
import { wipeIfPinKeyGone } from '$lib/client/wrong-pin-wipe';
import { resumeOnReload } from './resume-wiring';
import { watchRevocation } from './revocation-wiring';
import { deviceLabel } from '$lib/domain/device-summary';
import { rememberDeviceName, rememberedDeviceName } from './device-name';
import { dataKeysFromRaw } from '$lib/client/crypto/data-keys';
import { rawDataKey } from '$lib/client/crypto/keys';

/** The unlocked part of the app, loaded when the PIN first opens the data (field-store.ts). */
type Store = typeof import('./field-store');
let storeModule: Promise<Store> | null = null;
const loadStore = (): Promise<Store> => (storeModule ??= import('./field-store'));

/** `wiped`: the admin revoked this tablet and it erased the user's data (the page says why). */
export type SessionState = 'starting' | 'ready' | 'signed_out' | 'wiped' | 'setup_pin' | 'locked';

/**
 * The field app's session on this tablet: the user, their own database, the sync engine and its
 * status, as runes the pages read. It wires the sync triggers (online, returning to the app, a
 * timer inside the engine) and owns sign-out, which locks the user's data away.
 */
export class FieldSession {
	state = $state<SessionState>('starting');
	user = $state<FieldUser | null>(null);
	status = $state<SyncStatus | null>(null);
	// Reactive (raw: Dexie and the engine are not to be proxied): pages may render before the
	// session is ready, and their queries must start once the database is open.
	db = $state.raw<DoorstepDb | null>(null);
	engine = $state.raw<SyncEngine | null>(null);
	/** The identity-verification photos waiting for the server (lib/client/photos). */
	photoStatus = $state<PhotoQueueStatus | null>(null);
	photoQueue = $state.raw<PhotoUploadQueue | null>(null);
	/** Why this tablet was wiped (state `wiped`). */
	wiped = $state<WipeNotice | null>(null);
	/** Locked and no PIN wrapping here while offline: only an online sign-in can set a PIN. */
	needsOnline = $state(false);
	/** The administrator's idle-lock time, as of the last sync (lib/domain/lock-policy.ts). */
	lockIdleMinutes = $state<number>(LOCK_IDLE_MINUTES.default);
	/** Check-ins further than this from the pin ask for a reason (lib/domain/check-in.ts), as of the last sync. */
	checkInMaxDistanceM = $state<number>(CHECK_IN_DISTANCE.default);
	/** The consent is shown full screen to the customer: no time limit hurries them (domain/customer-view.ts). */
	customerView = $state(false);
	/** The data key, in memory only while unlocked (lib/client/crypto, issue 6). */
	private dataKeys: DataKeys | null = null;
	/** Unlocked across a reload within the idle window (crypto/session-resume.ts). */
	private readonly resume = resumeOnReload(() => this.lockIdleMinutes * 60_000);
	private online = false;
	private cleanup: (() => void)[] = [];
	private transport: Transport | null = null;
	/** The loaded field-store module: set from the first unlock on (the app is unlocked only then). */
	private store: Store | null = null;

	/** Revoked by the admin: the tablet hands over its work and takes no new work. */
	get revoked(): boolean {
		return !!this.status?.revoked;
	}

	async start(): Promise<void> {
		this.lockWhileAsking();
		const answer = await fetchCurrentUser();
		// The PIN may have opened the data while the server was being asked (lockWhileAsking).
		if (this.state === 'ready' && this.settleUnlockedStart(answer)) return;
		if (typeof answer === 'object') forgetWipe();
		else if (wipeNotice()) {
			// A wiped tablet says why until someone signs in again.
			this.wiped = wipeNotice();
			this.state = 'wiped';
			return;
		}
		if (answer === 'signed_out') {
			// The server is reachable and knows no session (expired, signed out elsewhere, account
			// deactivated): forget who was here and go to the sign-in page, as a server page would.
			forgetUser();
			this.state = 'signed_out';
			location.replace('/login?next=/field');
			return;
		}
		const user = typeof answer === 'object' ? answer : answer === 'offline' ? rememberedUser() : null;
		if (!user || user.role !== 'field_staff') {
			this.state = 'signed_out';
			return;
		}
		if (typeof answer === 'object') rememberUser(answer);
		this.online = typeof answer === 'object';
		await wipeIfPinKeyGone(user.id); // again at each start: the page may have closed mid-wipe
		if (this.online && readLock(user.id)?.signOutFirst) {
			// Too many wrong PINs: only a real sign-in (password) may recover the data.
			signedOutAfterWipe(user.id);
			forgetUser();
			await fetch('/logout', { method: 'POST' }).catch(() => undefined);
			this.state = 'signed_out';
			location.replace('/login?next=/field');
			return;
		}
		this.user = user;
		// Reloaded within the idle window of an unlocked session in this tab: open again.
		const resumed = hasPin(user.id) ? await this.resume.take(user.id) : null;
		if (resumed) {
			this.dataKeys = await dataKeysFromRaw(await rawDataKey(resumed));
			await this.resume.save(user.id, resumed);
			await this.openStore(user, this.dataKeys);
			return;
		}
		// Else the app opens locked: the data key exists here only wrapped (PIN, recovery secret).
		this.needsOnline = !hasPin(user.id) && !this.online;
		this.state = hasPin(user.id) || !this.online ? 'locked' : 'setup_pin';
	}

	/**
	 * A tablet that knows its user and has a PIN shows the lock screen at once, while the server
	 * is asked who is signed in: the PIN works offline anyway, and the team at the door can type
	 * it during a slow or dead network's wait. Not when the answer may lead elsewhere first: a
	 * wipe notice, "sign in again" after wrong PINs, or a session that opens without the PIN.
	 */
	private lockWhileAsking(): void {
		const user = rememberedUser();
		if (!user || user.role !== 'field_staff' || wipeNotice() || !hasPin(user.id)) return;
		if (readLock(user.id)?.signOutFirst || this.resume.pending(user.id)) return;
		this.user = user;
		this.state = 'locked';
	}

	/**
	 * The server's answer after the PIN already opened the remembered user's data. True when the
	 * start is settled: the same user (or no answer) stays unlocked. Signed out, or another user
	 * signed in on this browser: lock, and the rest of start() goes on as for a locked tablet.
	 */
	private settleUnlockedStart(answer: FieldUser | 'signed_out' | 'offline'): boolean {
		if (answer === 'offline') return true;
		if (typeof answer === 'object' && answer.id === this.user?.id) {
			rememberUser(answer);
			this.online = true;
			return true;
		}
		this.lock();
		return false;
	}

	/** First sign-in here (online), or after too many wrong PINs: a new PIN, the same data. */
	async setPin(pin: string, deviceName = ''): Promise<boolean> {
		const user = this.user;
		if (!user || this.state !== 'setup_pin') return false;
		const res = await fetch('/api/devices/secret', { headers: { accept: 'application/json' }, cache: 'no-store' });
		if (!res.ok) return false;
		const { secret } = (await res.json()) as { secret: string };
		if (deviceName.trim()) rememberDeviceName(deviceName);
		this.dataKeys = await setUpPin(user.id, pin, secret, { onKey: (key) => this.resume.save(user.id, key) });
		await this.openStore(user, this.dataKeys);
		return true;
	}

	/** Opens with the PIN (works offline). A wrong PIN is counted (device-keys.ts). */
	async unlock(pin: string): Promise<UnlockResult> {
		const user = this.user;
		if (!user || this.state !== 'locked') return { ok: false, noPin: true };
		const result = await unlockWithPin(user.id, pin, undefined, (key) => this.resume.save(user.id, key));
		if (result.ok && (this.state !== 'locked' || this.user?.id !== user.id)) {
			// The server's answer came during the PIN's key derivation and led elsewhere (signed
			// out, another user): nothing opens, and the reload record just written goes too.
			result.keys.forget();
			void this.resume.forget(user.id);
			return { ok: false, noPin: true };
		}
		if (result.ok) {
			this.dataKeys = result.keys;
			await this.openStore(user, result.keys);
		} else if (result.noPin) {
			this.needsOnline = true;
		} else if (result.wipeAccess) {
			// The PIN can no longer open anything here: the lock screen offers only the sign-in.
			this.needsOnline = true;
			await wipeIfPinKeyGone(user.id);
		}
		return result;
	}

	/**
	 * The one way on once the PIN cannot open this tablet's data (too many wrong PINs, or no PIN
	 * here): end the server session, then the sign-in page. The "sign out first" mark is cleared
	 * only once the server confirmed the sign-out, so a cookie left on a lost tablet never sets a
	 * new PIN. False when the server cannot be reached (the page says to connect first).
	 */
	async signInAgain(): Promise<boolean> {
		const user = this.user;
		try {
			// Answered with a redirect to the sign-in page, which the fetch follows.
			if (!(await fetch('/logout', { method: 'POST' })).ok) return false;
		} catch {
			return false;
		}
		if (user) signedOutAfterWipe(user.id);
		forgetUser();
		location.assign('/login?next=/field');
		return true;
	}

	/** Locks now: the store, engine and key are dropped, the page shows only the lock screen. */
	lock(): void {
		if (this.state !== 'ready') return;
		if (this.user) void this.resume.forget(this.user.id);
		this.stop();
		this.store?.closeUserDb();
		this.forgetKeys();
		this.state = 'locked';
	}

	/** Zeroes and drops the data key: nothing of the store can be read or written after this. */
	private forgetKeys(): void {
		this.dataKeys?.forget();
		this.dataKeys = null;
	}

	private async openStore(user: FieldUser, keys: DataKeys): Promise<void> {
		const store = (this.store = await loadStore());
		// The first open after the update seals the rows (db.ts version 3), then the photo bytes.
		this.db = await store.openUserDb(user.id, keys);
		await store.sealLegacyPhotoBytes(this.db).catch(() => 0);
		this.transport = store.createHttpTransport();
		this.engine = new store.SyncEngine({ db: this.db, transport: this.transport, online: navigator.onLine, reachable: this.online ? true : false, deviceLabel: deviceLabel(rememberedDeviceName(), navigator.userAgent) });
		this.cleanup.push(this.engine.subscribe((s) => (this.status = s)));
		this.wireTriggers(store, this.engine);
		this.startPhotoQueue(store, this.db, this.engine);
		this.watchRevocation(this.engine);
		this.cleanup.push(wireAutoLock(() => this.lock(), { window, document }, { idleMs: () => idleLockMs(this.lockIdleMinutes, this.customerView) }));
		this.cleanup.push(this.resume.followActivity(user.id, window));
		this.followLockPolicy(store, this.db, this.engine);
		this.state = 'ready';
		await this.engine.start();
		void navigator.storage?.persist?.();
	}

	/** The idle-lock time the last pull stored (kept for offline starts), re-read after each sync. */
	private followLockPolicy(store: Store, db: DoorstepDb, engine: SyncEngine): void {
		const read = () =>
			void store
				.readSyncState(db)
				.then((s) => {
					this.lockIdleMinutes = lockIdleMinutesOf(s.lockIdleMinutes);
					this.checkInMaxDistanceM = checkInDistanceOf(s.checkInMaxDistanceM);
				})
				.catch(() => undefined);
		read();
		this.cleanup.push(store.onSyncSuccess(engine, read));
	}

	/** Online/offline, returning to the app, and Background Sync where the browser has it. */
	private wireTriggers(store: Store, engine: SyncEngine): void {
		this.cleanup.push(store.wireBrowserTriggers(engine, { window, document }), () => engine.stop());
		const onMessage = (event: MessageEvent) => {
			if (event.data?.type === 'doorstep-sync') void engine.handleBackgroundSync();
		};
		navigator.serviceWorker?.addEventListener('message', onMessage);
		this.cleanup.push(() => navigator.serviceWorker?.removeEventListener('message', onMessage));
	}

	private startPhotoQueue(store: Store, db: DoorstepDb, engine: SyncEngine): void {
		const { queue, unwire } = store.wirePhotoQueue(db, engine, (s) => (this.photoStatus = s));
		this.photoQueue = queue;
		this.cleanup.push(unwire);
	}

	/** Revoked: hand the work over, then wipe (revocation-wiring.ts). */
	private watchRevocation(engine: SyncEngine): void {
		this.cleanup.push(
			watchRevocation(engine, this.photoQueue, {
				current: () => {
					const { db, engine, transport, store, user, photoQueue } = this;
					return db && engine && transport && store && user ? { db, engine, transport, store, photoQueue } : null;
				},
				busy: () => !!this.status?.syncing || !!this.photoStatus?.uploading,
				revokedAt: () => this.status?.revoked?.revokedAt ?? null,
				stop: () => this.stop(),
				wiped: (revokedAt) => this.afterWipe(revokedAt)
			})
		);
	}

	/** Nothing of the user is left here: forget them, sign out on the server, say why. */
	private async afterWipe(revokedAt: string | null): Promise<void> {
		const user = this.user;
		if (user) {
			forgetLock(user.id);
			await this.resume.forget(user.id);
		}
		this.forgetKeys();
		forgetUser();
		this.wiped = rememberWipe(revokedAt);
		try {
			await fetch('/logout', { method: 'POST' });
		} catch {
			// The server session expires on its own; nothing of the user is left here.
		}
		this.user = null;
		this.state = 'wiped';
	}

	/** After a photo was kept on the device: upload it now if the network allows. */
	photoCaptured(): void {
		void this.photoQueue?.kick();
	}

	/** Photos with no receipt yet (waiting or refused): they count as unsynced work. */
	get photosUnsynced(): number {
		return (this.photoStatus?.left ?? 0) + (this.photoStatus?.refused ?? 0);
	}

	/** After a change on the device: push soon. */
	changed(): void {
		void this.engine?.changed();
		// If the push cannot happen now, let the browser wake us when the network is back.
		const store = this.store;
		if (store) void navigator.serviceWorker?.ready.then((registration) => store.requestBackgroundSync(registration as never));
	}

	/**
	 * Signs out. Without unsynced work the user's database is deleted, so the next user of a
	 * shared tablet finds nothing; with unsynced work it stays (closed) for this user's next
	 * sign-in and the caller must have warned first.
	 */
	async signOut(): Promise<void> {
		const userId = this.user?.id;
		// Photos without a receipt count: deleting the database would lose them for good.
		const pending = (this.status?.pending ?? 0) + (this.status?.conflicts.length ?? 0) + this.photosUnsynced;
		// Locked, nothing is known about unsynced work: the (closed) store is kept.
		const unlocked = this.state === 'ready';
		if (userId) await this.resume.forget(userId);
		const store = this.store;
		this.stop();
		store?.closeUserDb();
		this.forgetKeys();
		if (userId && unlocked && pending === 0 && store) {
			await store.deleteUserDb(userId);
			forgetLock(userId);
		}
		forgetUser();
		try {
			await fetch('/logout', { method: 'POST' });
		} catch {
			// Offline: the server session expires on its own; nothing readable is left here.
		}
		this.user = null;
		this.state = 'signed_out';
	}

	stop(): void {
		for (const fn of this.cleanup.splice(0)) fn();
		this.engine = null;
		this.photoQueue = null;
		this.photoStatus = null;
		this.transport = null;
		this.db = null;
	}
}

const KEY = Symbol('field-session');
export const setFieldSession = (s: FieldSession) => setContext(KEY, s);
export const getFieldSession = () => getContext<FieldSession>(KEY);
