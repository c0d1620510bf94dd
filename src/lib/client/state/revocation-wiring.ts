/*
 * A revoked tablet hands its work over, then wipes itself (sync/revocation.ts decides which step
 * is due). Once the engine knows the tablet is revoked, every change of the sync or the photo
 * status checks again: checks never overlap, and one asked for during a check runs after it.
 */
import type { DoorstepDb } from '$lib/client/db';
import type { SyncEngine } from '$lib/client/sync/engine';
import type { Transport } from '$lib/client/sync/transport';
import type { PhotoUploadQueue } from '$lib/client/photos/upload-queue';

type Store = typeof import('./field-store');

/** What the field session lends the watch. */
export interface RevocationHost {
	/** The unlocked session's parts; null once they are gone (locked, signed out, wiped). */
	current(): { db: DoorstepDb; engine: SyncEngine; transport: Transport; store: Store; photoQueue: PhotoUploadQueue | null } | null;
	/** A sync or an upload is running: its end changes the status, which checks again. */
	busy(): boolean;
	/** When the admin revoked the tablet (for the notice after the wipe). */
	revokedAt(): string | null;
	/** Stops the engine and the photo queue before the database goes. */
	stop(): void;
	/** The data is erased and the wipe reported: forget the user here and say why. */
	wiped(revokedAt: string | null): Promise<void>;
}

export function watchRevocation(engine: SyncEngine, queue: PhotoUploadQueue | null, host: RevocationHost): () => void {
	let checking = false;
	let recheck = false;
	const check = async () => {
		if (checking) {
			recheck = true;
			return;
		}
		checking = true;
		try {
			do {
				recheck = false;
				await handOverOrWipe(host);
			} while (recheck && host.current());
		} catch {
			// The next status change checks again; nothing was deleted.
		} finally {
			checking = false;
		}
	};
	const onChange = () => {
		if (engine.isRevoked()) void check();
	};
	const unsubscribe = [engine.subscribe(onChange), ...(queue ? [queue.subscribe(onChange)] : [])];
	return () => unsubscribe.forEach((fn) => fn());
}

async function handOverOrWipe(host: RevocationHost): Promise<void> {
	const parts = host.current();
	if (!parts || host.busy()) return;
	const { db, engine, transport, store, photoQueue } = parts;
	const state = await store.readHandOver(db);
	const step = store.revocationStep(state);
	if (step === 'hand_over') {
		if (state.pendingMutations + state.rejectedWork > 0) void engine.changed();
		if (state.photosWaiting > 0) void photoQueue?.kick();
		return;
	}
	if (step !== 'wipe') return;
	const revokedAt = host.revokedAt();
	host.stop();
	const report = await store.wipeIfHandedOver({ db, deleteDb: store.deleteUserDb, reportWiped: (r, id) => transport.reportWiped(r, id) });
	if (report) await host.wiped(revokedAt);
}
