/*
 * The photo queue runs beside the sync engine and with its triggers: after each successful sync
 * (a push may have just applied a visit's completion, which lets the retention rule drop uploaded
 * photos' bytes), on online, on returning to the app, on its own back-off timer, and when a photo
 * is captured (FieldSession.photoCaptured kicks it).
 */
import type { DoorstepDb } from '$lib/client/db';
import type { SyncEngine } from '$lib/client/sync/engine';
import { PhotoUploadQueue, type PhotoQueueStatus } from '$lib/client/photos/upload-queue';
import { createHttpPhotoTransport } from '$lib/client/photos/http-photo-transport';
import { applyRetention } from '$lib/client/photos/retention';

/** Calls `fn` after each sync that succeeded (not for the status the engine starts with). */
export function onSyncSuccess(engine: SyncEngine, fn: () => void): () => void {
	let lastSuccess: string | null | undefined;
	return engine.subscribe((s) => {
		if (s.lastSuccessAt === lastSuccess) return;
		const first = lastSuccess === undefined;
		lastSuccess = s.lastSuccessAt;
		if (!first) fn();
	});
}

export function wirePhotoQueue(db: DoorstepDb, engine: SyncEngine, onStatus: (s: PhotoQueueStatus) => void): { queue: PhotoUploadQueue; unwire: () => void } {
	const queue = new PhotoUploadQueue({ db, transport: createHttpPhotoTransport(), online: navigator.onLine, onUploaded: () => applyRetention(db) });
	const unsubscribe = queue.subscribe(onStatus);
	const unfollow = onSyncSuccess(engine, () =>
		void applyRetention(db)
			.catch(() => 0)
			.then(() => queue.kick())
	);
	const onOnline = () => void queue.handleOnline();
	const onOffline = () => queue.handleOffline();
	const onVisible = () => {
		if (document.visibilityState !== 'hidden') void queue.kick();
	};
	window.addEventListener('online', onOnline);
	window.addEventListener('offline', onOffline);
	document.addEventListener('visibilitychange', onVisible);
	if (!navigator.onLine) queue.handleOffline();
	void applyRetention(db)
		.catch(() => 0)
		.then(() => queue.start());
	return {
		queue,
		unwire: () => {
			unsubscribe();
			unfollow();
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
			document.removeEventListener('visibilitychange', onVisible);
			queue.stop();
		}
	};
}
