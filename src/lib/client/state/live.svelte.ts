import { liveQuery } from 'dexie';

/**
 * A Dexie live query as a rune: `current` follows the database (also changes made by the sync
 * engine or another tab). Create it inside an `$effect` or component init; call `stop()` to end.
 */
export class Live<T> {
	// Raw, not a deep proxy: each result is a fresh snapshot that the UI only reads, and values
	// read from it go back into IndexedDB (a proxy cannot be stored: DataCloneError).
	current = $state.raw<T | undefined>(undefined);
	loaded = $state(false);
	private subscription: { unsubscribe(): void } | null = null;

	constructor(query: () => Promise<T> | T) {
		this.subscription = liveQuery(query).subscribe({
			next: (value) => {
				this.current = value;
				this.loaded = true;
			},
			error: () => {
				this.loaded = true;
			}
		});
	}

	stop(): void {
		this.subscription?.unsubscribe();
		this.subscription = null;
	}
}
