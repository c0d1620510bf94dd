/*
 * What one sync push's transaction keeps in memory while it applies a batch (./push.ts): each
 * visit's target and progress loaded once, the progress of the common mutations (arrive,
 * checklist, service outcome: facts merged into the visit's progress) written once at the end
 * instead of once per mutation, their `sync_mutations` rows inserted together, and every id the
 * batch has decided. PostgreSQL holds the batch's visits locked from its start, so the fewer
 * statements inside, the shorter the other tablets of the team wait (bench/sync/RESULTS.md).
 * Everything here is written by `flush`, inside the same transaction, before its commit.
 */
import type { Tx } from '$lib/server/workflow/context';
import type { Target } from './handlers';
import { insertRecords, type MutationRecord, type RecordedMutation } from './mutation-log';
import { loadProgress, saveProgress, type ProgressStore, type StoredProgress } from './progress-repo';
import type { ProgressState } from './progress-merge';
import { RetryLater } from './rejection';

interface CachedProgress {
	/** The version read from the database: the one the final write is guarded by. */
	loadedVersion: number;
	state: ProgressState;
	dirty: boolean;
	/** Who wrote last (the batch's user). */
	userId: string;
}

/** Mutation types applied in memory (no statement of their own): they only merge progress. */
export const BUFFERED_TYPES: ReadonlySet<string> = new Set(['visit.arrive', 'visit.checklist', 'visit.service_outcome']);

export class SyncBatch {
	readonly targets = new Map<string, Target>();
	/** Every id decided before (read under the batch's locks) or by this batch. */
	readonly decided: Map<string, RecordedMutation>;
	private readonly progress = new Map<string, CachedProgress>();
	private records: MutationRecord[] = [];

	constructor(
		private readonly tx: Tx,
		private readonly now: Date,
		known: Map<string, RecordedMutation>
	) {
		this.decided = new Map(known);
	}

	/** The progress store the buffered handlers use: reads once, writes to memory. */
	readonly progressStore: ProgressStore = {
		load: async (visitId: string): Promise<StoredProgress> => {
			let cached = this.progress.get(visitId);
			if (!cached) {
				const stored = await loadProgress(this.tx, visitId);
				cached = { loadedVersion: stored.version, state: stored.state, dirty: false, userId: '' };
				this.progress.set(visitId, cached);
			}
			return { state: cached.state, version: cached.loadedVersion + (cached.dirty ? 1 : 0) };
		},
		save: async (visitId, _expectedVersion, state, userId) => {
			const cached = this.progress.get(visitId)!;
			cached.state = state;
			cached.dirty = true;
			cached.userId = userId;
			return cached.loadedVersion + 1;
		}
	};

	/** What to go back to if a mutation of `visitId` is refused (states are never mutated). */
	snapshot(visitId: string): CachedProgress | undefined {
		const cached = this.progress.get(visitId);
		return cached && { ...cached };
	}

	restore(visitId: string, snapshot: CachedProgress | undefined): void {
		if (snapshot) this.progress.set(visitId, snapshot);
		else this.progress.delete(visitId);
	}

	/** A buffered mutation's record, inserted by `flush`; the id counts as decided at once. */
	queueRecord(record: MutationRecord): void {
		this.records.push(record);
		this.noteDecided(record);
	}

	noteDecided(record: Pick<MutationRecord, 'id' | 'userId' | 'result' | 'reason' | 'bodyHash'>): void {
		if (!this.decided.has(record.id)) this.decided.set(record.id, { id: record.id, userId: record.userId, result: record.result, reason: record.reason, bodyHash: record.bodyHash });
	}

	/** After a visit's completion (its visit, request and progress changed in the database). */
	forget(visitId: string): void {
		this.targets.delete(visitId);
		this.progress.delete(visitId);
	}

	/** Writes what is buffered: before a mutation that reads the database, and at the end. */
	async flush(): Promise<void> {
		if (this.records.length > 0) {
			// A conflict here (the id decided meanwhile under another visit's lock: a forged
			// duplicate) fails the whole batch; nothing commits and the tablet sends it again.
			await insertRecords(this.tx, this.records, this.now);
			this.records = [];
		}
		for (const [visitId, cached] of this.progress) {
			if (!cached.dirty) continue;
			const version = await saveProgress(this.tx, visitId, cached.loadedVersion, cached.state, cached.userId, this.now);
			if (version === null) throw new RetryLater(`progress of visit ${visitId}`);
			this.progress.set(visitId, { ...cached, loadedVersion: version, dirty: false });
		}
	}
}
