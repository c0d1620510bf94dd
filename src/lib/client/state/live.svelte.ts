// Dexie comes with the unlocked store (state/field-store.ts); a Live exists only once a database
// is open, so by then this import resolves from the module cache.
let liveQuery: typeof import('dexie').liveQuery | null = null;
const loadLiveQuery = () => import('dexie').then((d) => (liveQuery = d.liveQuery));

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
	private stopped = false;

	constructor(query: () => Promise<T> | T) {
		if (liveQuery) this.subscribe(liveQuery, query);
		else
			void loadLiveQuery().then((lq) => {
				if (!this.stopped) this.subscribe(lq, query);
			});
	}

	private subscribe(lq: typeof import('dexie').liveQuery, query: () => Promise<T> | T): void {
		this.subscription = lq(query).subscribe({
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
		this.stopped = true;
		this.subscription?.unsubscribe();
		this.subscription = null;
	}
}
