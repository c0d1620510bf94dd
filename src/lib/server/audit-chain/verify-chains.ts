import { auditEntryHash, chainKey, GENESIS_HASH, type HashedAuditFields } from './hash';

/*
 * Pure check of the audit hash chains. Rows are fed in `seq` order (the order they were
 * written: appends to one chain hold that chain's lock, so a chain's entries get increasing seq);
 * the chain heads are compared at the end, which catches entries cut off the end of a chain.
 */

export interface ChainRow extends HashedAuditFields {
	seq: number;
	prev_hash: string | null;
	entry_hash: string | null;
}

export interface ChainHead {
	chain: string;
	last_hash: string;
	entries: number;
}

export type BreakReason =
	/** The row's fields (or its stored hash) were changed: the recomputed hash differs. */
	| 'entry_altered'
	/** The row does not point at the entry before it: an entry was removed or reordered here. */
	| 'link_broken'
	/** The row has no hash at all (written around the chain writer). */
	| 'unhashed'
	/** The chain ends before its recorded head: entries were removed from the end. */
	| 'tail_missing'
	/** The chain has entries but no recorded head (the head row was deleted). */
	| 'head_missing';

export interface ChainBreak {
	chain: string;
	/** Outlet of the chain, null for the global chain. */
	outletId: string | null;
	/** The first entry that does not verify; null for `tail_missing` on an emptied chain. */
	entryId: string | null;
	seq: number | null;
	reason: BreakReason;
}

export interface ChainReport {
	ok: boolean;
	entries: number;
	chains: number;
	/** The first broken link of each broken chain, in seq order. */
	breaks: ChainBreak[];
	/** Each chain's length and last hash as read (worth keeping outside the database). */
	ends: { chain: string; entries: number; lastHash: string }[];
}

interface ChainState {
	outletId: string | null;
	lastHash: string;
	lastSeq: number | null;
	lastId: string | null;
	count: number;
	broken: boolean;
}

export class ChainVerifier {
	private readonly chains = new Map<string, ChainState>();
	private readonly breaks: ChainBreak[] = [];
	private entries = 0;

	feed(row: ChainRow): void {
		this.entries++;
		const key = chainKey(row.outlet_id);
		let state = this.chains.get(key);
		if (!state) {
			state = { outletId: row.outlet_id, lastHash: GENESIS_HASH, lastSeq: null, lastId: null, count: 0, broken: false };
			this.chains.set(key, state);
		}
		state.count++;
		if (!state.broken) {
			const reason = this.check(row, state.lastHash);
			if (reason) {
				state.broken = true;
				this.breaks.push({ chain: key, outletId: row.outlet_id, entryId: row.id, seq: row.seq, reason });
			}
		}
		// Go on from the stored hash, so one altered row is reported once, not with all after it.
		state.lastHash = row.entry_hash ?? state.lastHash;
		state.lastSeq = row.seq;
		state.lastId = row.id;
	}

	private check(row: ChainRow, expectedPrev: string): BreakReason | null {
		if (!row.entry_hash || !row.prev_hash) return 'unhashed';
		if (row.prev_hash !== expectedPrev) return 'link_broken';
		if (auditEntryHash(row, row.prev_hash) !== row.entry_hash) return 'entry_altered';
		return null;
	}

	/** Compares each chain's end with its recorded head and returns the report. */
	finish(heads: ChainHead[]): ChainReport {
		const headed = new Set(heads.map((h) => h.chain));
		for (const [chain, state] of this.chains) {
			if (!headed.has(chain) && !state.broken) {
				this.breaks.push({ chain, outletId: state.outletId, entryId: state.lastId, seq: state.lastSeq, reason: 'head_missing' });
			}
		}
		for (const head of heads) {
			const state = this.chains.get(head.chain);
			if (state?.broken) continue;
			const lastHash = state?.lastHash ?? GENESIS_HASH;
			if (lastHash !== head.last_hash || (state?.count ?? 0) !== head.entries) {
				this.breaks.push({
					chain: head.chain,
					outletId: state?.outletId ?? (head.chain === 'global' ? null : head.chain),
					entryId: state?.lastId ?? null,
					seq: state?.lastSeq ?? null,
					reason: 'tail_missing'
				});
			}
		}
		this.breaks.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
		const ends = [...this.chains].map(([chain, s]) => ({ chain, entries: s.count, lastHash: s.lastHash })).sort((a, b) => a.chain.localeCompare(b.chain));
		return { ok: this.breaks.length === 0, entries: this.entries, chains: this.chains.size, breaks: this.breaks, ends };
	}
}

const REASON_TEXT: Record<BreakReason, string> = {
	entry_altered: 'entry altered (its hash does not match its fields)',
	link_broken: 'link broken (an entry before it was removed, inserted or reordered)',
	unhashed: 'entry has no hash (written around the chain)',
	tail_missing: 'chain ends before its recorded head (entries removed from the end)',
	head_missing: 'chain head missing'
};

/** What `npm run audit:verify` prints: "OK, N entries…" or one line per broken chain. */
export function formatChainReport(report: ChainReport): string {
	if (report.ok) return [`OK, ${report.entries} entries in ${report.chains} chains`, ...report.ends.map((e) => `  ${e.chain === 'global' ? 'global' : `outlet ${e.chain}`}: ${e.entries} entries, last ${e.lastHash}`)].join('\n');
	const lines = report.breaks.map(
		(b) => `BROKEN chain ${b.outletId ? `outlet ${b.outletId}` : 'global'}: entry ${b.entryId ?? '(none)'} (seq ${b.seq ?? '-'}): ${REASON_TEXT[b.reason]}`
	);
	return [`AUDIT LOG BROKEN: ${report.breaks.length} of ${report.chains} chains, ${report.entries} entries`, ...lines].join('\n');
}
