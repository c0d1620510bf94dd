/*
 * The sync engine of the field tablet. Framework-free: the UI (or a service worker) creates it
 * with the user's database and a Transport, wires the triggers, and observes `status`.
 *
 * One sync = register the device if needed → push the outbox in batches → pull changes. Only
 * one sync runs at a time (per engine; pass `lock` to share one lock across tabs, e.g. with
 * navigator.locks). A failed sync is retried with exponential back-off and jitter; a success
 * schedules the next periodic sync while the app is open and visible.
 */
import type { DoorstepDb } from '../db';
import { readSyncState, writeSyncState } from '../sync-state';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { listConflicts, resolveConflict, type ConflictResolution } from './conflicts';
import type { DeviceRevocation } from './protocol';
import { visitsToDiscard } from './revocation';
import { applyPushResults, countPending, countPendingVisits, nextBatch, outboxInOrder } from './outbox';
import { applyPull } from './pull-apply';
import { createStatusStore, type StatusListener, type StatusStore, type SyncErrorMessage, type SyncStatus } from './status';
import { errorMessageOf, TransportError, type Transport } from './transport';

export interface Clock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>)
};

export interface SyncEngineOptions {
	db: DoorstepDb;
	transport: Transport;
	clock?: Clock;
	random?: () => number;
	/** Between syncs while the app is open and visible. */
	intervalMs?: number;
	/** Delay of the sync after a local change (several quick changes go in one push). */
	soonMs?: number;
	backoff?: BackoffOptions;
	/** Shown in the user's device list ("Tablet 3, Chrome"). */
	deviceLabel?: string;
	online?: boolean;
	/** Whether the server answered just before (e.g. the session's own check at start); null: unknown. */
	reachable?: boolean | null;
	/** Runs a whole sync under a lock shared beyond this engine (other tabs). */
	lock?: <T>(work: () => Promise<T>) => Promise<T>;
	/** Batches per sync, so a long outbox never keeps the lock for ever. */
	maxBatchesPerSync?: number;
}

export type SyncOutcome = { ok: true } | { ok: false; error: SyncErrorMessage };

export class SyncEngine {
	readonly status: StatusStore;
	private readonly db: DoorstepDb;
	private readonly transport: Transport;
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly options: Required<Pick<SyncEngineOptions, 'intervalMs' | 'soonMs' | 'backoff' | 'deviceLabel' | 'maxBatchesPerSync'>>;
	private readonly lock: <T>(work: () => Promise<T>) => Promise<T>;
	private running: Promise<SyncOutcome> | null = null;
	private followUp: Promise<SyncOutcome> | null = null;
	private timer: unknown = null;
	private started = false;
	private visible = true;
	private failures = 0;

	constructor(options: SyncEngineOptions) {
		this.db = options.db;
		this.transport = options.transport;
		this.clock = options.clock ?? systemClock;
		this.random = options.random ?? Math.random;
		this.lock = options.lock ?? ((work) => work());
		this.options = {
			intervalMs: options.intervalMs ?? 60_000,
			soonMs: options.soonMs ?? 1_000,
			backoff: options.backoff ?? DEFAULT_BACKOFF,
			deviceLabel: options.deviceLabel ?? 'Doorstep tablet',
			maxBatchesPerSync: options.maxBatchesPerSync ?? 20
		};
		this.status = createStatusStore({
			online: options.online ?? true,
			reachable: options.reachable ?? null,
			pending: 0,
			pendingVisits: 0,
			syncing: false,
			lastSuccessAt: null,
			lastError: null,
			conflicts: [],
			nextAttemptAt: null
		});
	}

	subscribe(listener: StatusListener): () => void {
		return this.status.subscribe(listener);
	}

	/** Loads the stored state and syncs at once (when online); then keeps syncing periodically. */
	async start(): Promise<void> {
		if (this.started) return;
		this.started = true;
		const state = await readSyncState(this.db);
		this.status.set({ lastSuccessAt: state.lastSuccessAt, lastError: (state.lastError as SyncErrorMessage | null) ?? null, revoked: state.revoked ?? null });
		await this.refresh();
		void this.syncNow();
	}

	stop(): void {
		this.started = false;
		this.clearTimer();
	}

	/**
	 * Syncs now. While a sync runs, the call waits for it and then runs one more (so a change
	 * made during a sync is sent without waiting for the timer). Never throws.
	 */
	syncNow(): Promise<SyncOutcome> {
		if (this.running) {
			this.followUp ??= this.running.then(() => {
				this.followUp = null;
				return this.syncNow();
			});
			return this.followUp;
		}
		const run = this.lock(() => this.runOnce()).catch((err: unknown): SyncOutcome => ({ ok: false, error: errorMessageOf(err) }));
		this.running = run.finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Resolves when no sync is running (tests; a sign-out that waits for the last push). */
	async idle(): Promise<void> {
		while (this.running || this.followUp) await (this.followUp ?? this.running);
	}

	/** Call after every local change: updates pending/conflicts, syncs soon. */
	async changed(): Promise<void> {
		await this.refresh();
		// During a back-off the planned retry stands: edits must not hammer a failing server.
		if (this.failures === 0) this.schedule(this.options.soonMs, true);
	}

	handleOnline(): Promise<SyncOutcome> {
		// The network is up again; whether the server answers, the sync says.
		this.status.set({ online: true, reachable: null });
		this.failures = 0; // the network is back: no reason to wait out an old back-off
		return this.syncNow();
	}

	handleOffline(): void {
		this.status.set({ online: false, reachable: false, nextAttemptAt: null });
		this.clearTimer();
	}

	handleVisibilityChange(visible: boolean): void {
		this.visible = visible;
		if (visible) void this.syncNow();
		else this.clearTimer();
	}

	/** For a service worker's `sync` event: rejects on failure so the browser tries again later. */
	async handleBackgroundSync(): Promise<void> {
		const outcome = await this.syncNow();
		if (!outcome.ok) throw new Error(outcome.error);
	}

	async resolveConflict(visitId: string, resolution: ConflictResolution): Promise<void> {
		await resolveConflict(this.db, visitId, resolution, new Date(this.clock.now()));
		await this.changed();
	}

	/** Recomputes what the status shows from the database. */
	async refresh(): Promise<void> {
		const [pending, pendingVisits, conflicts] = await Promise.all([countPending(this.db), countPendingVisits(this.db), listConflicts(this.db)]);
		this.status.set({ pending, pendingVisits, conflicts });
	}

	private async runOnce(): Promise<SyncOutcome> {
		this.clearTimer();
		if (!this.status.get().online) {
			await this.refresh();
			return { ok: false, error: 'sync_err_network' };
		}
		this.status.set({ syncing: true });
		try {
			await this.syncWithDevice();
			this.failures = 0;
			const lastSuccessAt = new Date(this.clock.now()).toISOString();
			await writeSyncState(this.db, { lastSuccessAt, lastError: null });
			this.status.set({ lastSuccessAt, lastError: null, reachable: true });
			this.schedule(this.options.intervalMs);
			return { ok: true };
		} catch (err) {
			const error = errorMessageOf(err);
			this.failures++;
			await writeSyncState(this.db, { lastError: error }).catch(() => {});
			// A network error: the server did not answer. Any other: it did (and refused or failed).
			this.status.set({ lastError: error, reachable: error === 'sync_err_network' ? false : error === 'sync_err_storage' ? this.status.get().reachable : true });
			// Signed out: retrying cannot help until the user signs in again (a trigger resumes).
			if (error !== 'sync_err_auth') this.schedule(backoffDelay(this.failures, this.random, this.options.backoff));
			return { ok: false, error };
		} finally {
			await this.refresh().catch(() => {});
			this.status.set({ syncing: false });
		}
	}

	/**
	 * An unknown device registers again, once per sync. A REVOKED one never does: it only hands
	 * over what it holds (the session wipes it once nothing is left, see revocation.ts).
	 */
	private async syncWithDevice(): Promise<void> {
		try {
			await this.pushAndPull(await this.ensureDevice());
		} catch (err) {
			if (err instanceof TransportError && err.kind === 'revoked' && err.revocation) {
				await this.markRevoked(err.revocation);
				const { deviceId } = await readSyncState(this.db);
				if (deviceId) await this.pushAll(deviceId);
				return;
			}
			if (!(err instanceof TransportError) || err.kind !== 'device' || this.isRevoked()) throw err;
			await writeSyncState(this.db, { deviceId: null });
			await this.pushAndPull(await this.ensureDevice());
		}
	}

	private async ensureDevice(): Promise<string> {
		const state = await readSyncState(this.db);
		await writeSyncState(this.db, { lastAttemptAt: new Date(this.clock.now()).toISOString() });
		if (state.deviceId) return state.deviceId;
		if (this.isRevoked()) throw new TransportError('revoked', 'sync_err_revoked');
		const device = await this.transport.registerDevice(this.options.deviceLabel);
		await writeSyncState(this.db, { deviceId: device.id });
		return device.id;
	}

	/** Whether the admin revoked this tablet (known from a push answer, a pull or the store). */
	isRevoked(): boolean {
		return !!this.status.get().revoked;
	}

	private async markRevoked(revoked: DeviceRevocation): Promise<void> {
		if (!this.isRevoked()) await writeSyncState(this.db, { revoked });
		this.status.set({ revoked });
	}

	/** A revoked tablet gives up refused work with a `sync.discard`, so its outbox can empty. */
	private async discardRefused(): Promise<void> {
		for (const visitId of visitsToDiscard(await outboxInOrder(this.db))) await resolveConflict(this.db, visitId, 'discard', new Date(this.clock.now()));
	}

	private async pushAll(deviceId: string): Promise<void> {
		for (let i = 0; i < this.options.maxBatchesPerSync; i++) {
			if (this.isRevoked()) await this.discardRefused();
			const batch = await nextBatch(this.db, deviceId);
			if (batch.length === 0) break;
			const response = await this.transport.push({ mutations: batch }, deviceId);
			await applyPushResults(this.db, batch, response.results, new Date(this.clock.now()));
			if (response.revoked) await this.markRevoked(response.revoked);
			await this.refresh();
			// Nothing decided: the server is failing; do not spin.
			if (response.results.length === 0) throw new TransportError('server', 'no mutation processed');
		}
	}

	private async pushAndPull(deviceId: string): Promise<void> {
		await this.pushAll(deviceId);
		// A revoked tablet gets no more data.
		if (this.isRevoked()) return;
		const { cursor } = await readSyncState(this.db);
		const changes = await this.transport.pull({ cursor }, deviceId);
		await applyPull(this.db, changes, new Date(this.clock.now()));
	}

	private schedule(ms: number, onlyIfSooner = false): void {
		if (!this.started || !this.visible || !this.status.get().online) return;
		const at = this.clock.now() + ms;
		const planned = this.status.get().nextAttemptAt;
		if (onlyIfSooner && planned && Date.parse(planned) <= at) return;
		this.clearTimer();
		this.timer = this.clock.setTimeout(() => {
			this.timer = null;
			this.status.set({ nextAttemptAt: null });
			void this.syncNow();
		}, ms);
		this.status.set({ nextAttemptAt: new Date(at).toISOString() });
	}

	private clearTimer(): void {
		if (this.timer !== null) this.clock.clearTimeout(this.timer);
		this.timer = null;
		if (this.status.get().nextAttemptAt !== null) this.status.set({ nextAttemptAt: null });
	}
}
