/*
 * The app's own photo upload queue (not a Workbox replay): the photos table IS the queue, so it
 * survives closing the app. Each photo is PUT on its own (idempotent by id and hash), at most
 * `concurrency` at a time, oldest first; a network or server failure retries that photo with
 * exponential back-off and jitter, a 4xx refusal parks it as 'refused' with the server's reason,
 * a 401 stops the whole queue until the next trigger (the user must sign in again).
 *
 * The scheduling decisions are pure functions (duePhotos, afterFailure, nextWake, summarize) so
 * they are tested directly; the class only wires them to the database, a Transport and a clock.
 */
import type { PhotoReceipt } from '$lib/domain/photos';
import type { DoorstepDb, LocalPhoto } from '../db';
import { backoffDelay, type BackoffOptions } from '../sync/backoff';
import { readPhotoBytes } from './bytes';
import { summarize, type PhotoQueueStatus } from './queue-status';
import { systemClock, type Clock } from '../sync/engine';

export interface PhotoUpload {
	id: string;
	visitId: string;
	kind: LocalPhoto['kind'];
	blob: Blob;
	sha256: string;
	takenAt: string;
	position: LocalPhoto['position'];
}

export interface PhotoTransport {
	/** Stores the photo on the server; resolves with its receipt or throws a PhotoUploadError. */
	upload(photo: PhotoUpload): Promise<PhotoReceipt>;
}

/** `retry`: no answer or 5xx; `refused`: a 4xx with a reason (permanent); `auth`: signed out. */
export type PhotoFailure = 'retry' | 'refused' | 'auth';

export class PhotoUploadError extends Error {
	constructor(
		readonly kind: PhotoFailure,
		/** Message code shown to the user: `photo_err_<code>`, `sync_err_network`, … */
		readonly code: string
	) {
		super(code);
		this.name = 'PhotoUploadError';
	}
}

export const PHOTO_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 10 * 60_000 };

/** Up to `slots` photos to send now: queued, with bytes, due, not in flight; oldest due first. */
export function duePhotos(photos: readonly LocalPhoto[], now: number, slots: number, inFlight: ReadonlySet<string> = new Set()): LocalPhoto[] {
	if (slots <= 0) return [];
	return photos
		.filter((p) => p.status === 'queued' && p.hasBytes && !p.receipt && p.nextAttemptAt <= now && !inFlight.has(p.id))
		.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.takenAt.localeCompare(b.takenAt) || a.id.localeCompare(b.id))
		.slice(0, slots);
}

/** When the next queued photo becomes due (epoch ms), null when none waits for a later time. */
export function nextWake(photos: readonly LocalPhoto[], now: number): number | null {
	let at: number | null = null;
	for (const p of photos) if (p.status === 'queued' && p.hasBytes && p.nextAttemptAt > now) at = at === null ? p.nextAttemptAt : Math.min(at, p.nextAttemptAt);
	return at;
}

/** The row change after a failed attempt. */
export function afterFailure(photo: LocalPhoto, error: PhotoUploadError, now: number, random: () => number, backoff: BackoffOptions = PHOTO_BACKOFF): Partial<LocalPhoto> {
	switch (error.kind) {
		case 'auth':
			// Not the photo's fault: no attempt counted, it waits for the user to sign in again.
			return { status: 'queued', lastError: error.code };
		case 'refused':
			return { status: 'refused', attempts: photo.attempts + 1, lastError: error.code };
		case 'retry': {
			const attempts = photo.attempts + 1;
			return { status: 'queued', attempts, lastError: error.code, nextAttemptAt: now + backoffDelay(attempts, random, backoff) };
		}
	}
}

/** The row change after the server's receipt. */
export function afterReceipt(photo: LocalPhoto, receipt: PhotoReceipt): Partial<LocalPhoto> {
	return { status: 'uploaded', receipt, attempts: photo.attempts + 1, lastError: null, nextAttemptAt: 0 };
}

export { summarize, type PhotoQueueItem, type PhotoQueueStatus } from './queue-status';

export type PhotoQueueListener = (status: PhotoQueueStatus) => void;

export interface PhotoUploadQueueOptions {
	db: DoorstepDb;
	transport: PhotoTransport;
	clock?: Clock;
	random?: () => number;
	concurrency?: number;
	backoff?: BackoffOptions;
	online?: boolean;
	/** After each receipt (the retention rule runs here). */
	onUploaded?: () => Promise<unknown>;
}

export class PhotoUploadQueue {
	private readonly db: DoorstepDb;
	private readonly transport: PhotoTransport;
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly concurrency: number;
	private readonly backoff: BackoffOptions;
	private readonly onUploaded: () => Promise<unknown>;
	private readonly inFlight = new Map<string, Promise<void>>();
	private readonly listeners = new Set<PhotoQueueListener>();
	private value: PhotoQueueStatus;
	private started = false;
	private timer: unknown = null;
	private pumping: Promise<void> | null = null;
	private pumpAgain = false;
	private bytesDone = 0;

	constructor(options: PhotoUploadQueueOptions) {
		this.db = options.db;
		this.transport = options.transport;
		this.clock = options.clock ?? systemClock;
		this.random = options.random ?? Math.random;
		this.concurrency = Math.max(1, options.concurrency ?? 2);
		this.backoff = options.backoff ?? PHOTO_BACKOFF;
		this.onUploaded = options.onUploaded ?? (async () => {});
		this.value = { online: options.online ?? true, left: 0, bytesLeft: 0, refused: 0, uploading: 0, progress: null, lastError: null, signedOut: false, items: [] };
	}

	get status(): PhotoQueueStatus {
		return this.value;
	}

	subscribe(listener: PhotoQueueListener): () => void {
		this.listeners.add(listener);
		listener(this.value);
		return () => this.listeners.delete(listener);
	}

	/** Photos left 'uploading' by a closed app go back to the queue; then uploads start. */
	async start(): Promise<void> {
		if (this.started) return;
		this.started = true;
		await this.db.photos.where('status').equals('uploading').modify({ status: 'queued' });
		await this.kick();
	}

	stop(): void {
		this.started = false;
		this.clearTimer();
	}

	/** A trigger (capture, sync done, back in the app): uploads what is due now. */
	async kick(): Promise<void> {
		this.set({ signedOut: false });
		await this.pump();
	}

	handleOnline(): Promise<void> {
		this.set({ online: true });
		return this.kick();
	}

	handleOffline(): void {
		this.set({ online: false });
		this.clearTimer();
	}

	/** Sends a refused (or waiting) photo again at once, e.g. after the team fixed the cause. */
	async retry(photoId: string): Promise<void> {
		await this.db.photos.where('id').equals(photoId).and((p) => p.status === 'refused' || p.status === 'queued').modify({ status: 'queued', nextAttemptAt: 0 });
		await this.kick();
	}

	/** Resolves when nothing is in flight and no pump runs (tests, sign-out). */
	async idle(): Promise<void> {
		while (this.pumping || this.inFlight.size) await Promise.all([this.pumping, ...this.inFlight.values()]);
	}

	/** Recomputes the status from the database. */
	async refresh(): Promise<void> {
		const notUploaded = await this.db.photos.where('status').anyOf('queued', 'uploading', 'refused').toArray();
		const summary = summarize(notUploaded, this.bytesDone);
		if (summary.left === 0) this.bytesDone = 0; // the round is over: the next bar starts at 0
		this.set(summary);
	}

	private set(patch: Partial<PhotoQueueStatus>): void {
		this.value = { ...this.value, ...patch };
		for (const listener of [...this.listeners]) listener(this.value);
	}

	/** One pump at a time; a pump asked for while one runs runs once more after it. */
	private pump(): Promise<void> {
		if (this.pumping) {
			this.pumpAgain = true;
			return this.pumping;
		}
		this.pumping = (async () => {
			do {
				this.pumpAgain = false;
				await this.pumpOnce();
			} while (this.pumpAgain);
		})()
			.catch(() => {})
			.finally(() => {
				this.pumping = null;
			});
		return this.pumping;
	}

	private async pumpOnce(): Promise<void> {
		this.clearTimer();
		await this.refresh();
		if (!this.started || !this.value.online || this.value.signedOut) return;
		const now = this.clock.now();
		const queued = await this.db.photos.where('status').equals('queued').toArray();
		const inFlight = new Set(this.inFlight.keys());
		for (const photo of duePhotos(queued, now, this.concurrency - this.inFlight.size, inFlight)) {
			await this.db.photos.update(photo.id, { status: 'uploading' });
			const task = this.send(photo).finally(() => {
				this.inFlight.delete(photo.id);
				void this.pump();
			});
			this.inFlight.set(photo.id, task);
		}
		await this.refresh();
		const wake = nextWake(queued.filter((p) => !this.inFlight.has(p.id)), now);
		if (wake !== null && this.inFlight.size < this.concurrency) this.schedule(wake - now);
	}

	private async send(photo: LocalPhoto): Promise<void> {
		try {
			const blob = await readPhotoBytes(this.db, photo.id);
			if (!blob) throw new PhotoUploadError('refused', 'photo_ui_err_not_found');
			const receipt = await this.transport.upload({
				id: photo.id,
				visitId: photo.visitId,
				kind: photo.kind,
				blob,
				sha256: photo.sha256,
				takenAt: photo.takenAt,
				position: photo.position
			});
			// A receipt for other bytes is no receipt: the tablet keeps its copy.
			if (receipt.id !== photo.id || receipt.sha256 !== photo.sha256) throw new PhotoUploadError('refused', 'photo_ui_err_bad_receipt');
			await this.db.photos.update(photo.id, afterReceipt(photo, receipt));
			this.bytesDone += photo.bytes;
			await this.onUploaded().catch(() => {});
		} catch (err) {
			const error = err instanceof PhotoUploadError ? err : new PhotoUploadError('retry', 'sync_err_network');
			await this.db.photos.update(photo.id, afterFailure(photo, error, this.clock.now(), this.random, this.backoff)).catch(() => {});
			if (error.kind === 'auth') this.set({ signedOut: true });
		}
	}

	private schedule(ms: number): void {
		if (!this.started || !this.value.online) return;
		this.clearTimer();
		this.timer = this.clock.setTimeout(() => {
			this.timer = null;
			void this.pump();
		}, Math.max(0, ms));
	}

	private clearTimer(): void {
		if (this.timer !== null) this.clock.clearTimeout(this.timer);
		this.timer = null;
	}
}
