/*
 * The sync status the UI shows, as a tiny observable that follows the Svelte store contract
 * (`subscribe(fn)` calls fn at once and on every change, returns the unsubscribe function), so
 * the lead can wrap it in a rune class or use `$status` directly.
 */
import type { SyncConflict } from './conflicts';
import type { DeviceRevocation } from './protocol';

/** Message codes the UI translates. */
export type SyncErrorMessage =
	| 'sync_err_network'
	| 'sync_err_server'
	| 'sync_err_auth'
	| 'sync_err_device'
	| 'sync_err_malformed'
	| 'sync_err_storage'
	| 'sync_err_revoked';

export interface SyncStatus {
	/** What the browser says (navigator.onLine and its events): a network interface is up. */
	online: boolean;
	/**
	 * Whether the server answered the last attempt (true), could not be reached (false), or
	 * nothing was tried yet (null). "Online" on screen means this, not just `online`.
	 */
	reachable: boolean | null;
	/** Mutations waiting to be sent (rejected ones are in `conflicts`). */
	pending: number;
	/** Visits those pending mutations belong to: what the bar counts for people. */
	pendingVisits: number;
	syncing: boolean;
	lastSuccessAt: string | null;
	lastError: SyncErrorMessage | null;
	conflicts: SyncConflict[];
	/** When the next automatic attempt is planned (ISO), null when none is. */
	nextAttemptAt: string | null;
	/** Set once the admin revoked this tablet: it hands over its work, then wipes itself. */
	revoked?: DeviceRevocation | null;
}

export type StatusListener = (status: SyncStatus) => void;

export interface StatusStore {
	get(): SyncStatus;
	set(patch: Partial<SyncStatus>): void;
	subscribe(listener: StatusListener): () => void;
}

export function createStatusStore(initial: SyncStatus): StatusStore {
	let value = initial;
	const listeners = new Set<StatusListener>();
	return {
		get: () => value,
		set(patch) {
			value = { ...value, ...patch };
			for (const listener of [...listeners]) listener(value);
		},
		subscribe(listener) {
			listeners.add(listener);
			listener(value);
			return () => listeners.delete(listener);
		}
	};
}
