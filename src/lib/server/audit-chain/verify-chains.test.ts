import { describe, expect, it } from 'vitest';
import { auditEntryHash, canonicalJson, GENESIS_HASH, type HashedAuditFields } from './hash';
import { ChainVerifier, formatChainReport, type ChainHead, type ChainRow } from './verify-chains';

function fields(n: number, outlet: string | null): HashedAuditFields {
	return { id: `e${n}`, at: `2026-01-01T00:00:0${n}.000Z`, actor_id: 'u1', action: 'approve', entity: 'request', entity_id: `r${n}`, outlet_id: outlet, details: `{"n":${n}}` };
}

/** A well-formed log: rows in seq order, outlets alternating, with the heads they end at. */
function chainOf(outlets: (string | null)[]): { rows: ChainRow[]; heads: ChainHead[] } {
	const last = new Map<string, { hash: string; n: number }>();
	const rows = outlets.map((outlet, i) => {
		const key = outlet ?? 'global';
		const prev = last.get(key)?.hash ?? GENESIS_HASH;
		const f = fields(i + 1, outlet);
		const entry_hash = auditEntryHash(f, prev);
		last.set(key, { hash: entry_hash, n: (last.get(key)?.n ?? 0) + 1 });
		return { ...f, seq: i + 1, prev_hash: prev, entry_hash };
	});
	return { rows, heads: [...last].map(([chain, h]) => ({ chain, last_hash: h.hash, entries: h.n })) };
}

function verify(rows: ChainRow[], heads: ChainHead[]) {
	const v = new ChainVerifier();
	rows.forEach((r) => v.feed(r));
	return v.finish(heads);
}

describe('canonicalJson', () => {
	it('sorts keys at every level and drops undefined', () => {
		expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
	});
});

describe('auditEntryHash', () => {
	it('changes with any field and with the previous hash', () => {
		const base = auditEntryHash(fields(1, 'o1'), GENESIS_HASH);
		expect(base).toMatch(/^[0-9a-f]{64}$/);
		expect(auditEntryHash(fields(1, 'o1'), GENESIS_HASH)).toBe(base);
		expect(auditEntryHash({ ...fields(1, 'o1'), details: '{"n": 1}' }, GENESIS_HASH)).not.toBe(base);
		expect(auditEntryHash({ ...fields(1, 'o1'), outlet_id: 'o2' }, GENESIS_HASH)).not.toBe(base);
		expect(auditEntryHash({ ...fields(1, 'o1'), actor_id: null }, GENESIS_HASH)).not.toBe(base);
		expect(auditEntryHash(fields(1, 'o1'), 'f'.repeat(64))).not.toBe(base);
	});
});

describe('ChainVerifier', () => {
	const outlets = ['o1', 'o2', null, 'o1', 'o1', 'o2', null];

	it('accepts an intact log', () => {
		const { rows, heads } = chainOf(outlets);
		const report = verify(rows, heads);
		expect(report).toMatchObject({ ok: true, entries: 7, chains: 3, breaks: [] });
		expect(report.ends).toEqual(heads.map((h) => ({ chain: h.chain, entries: h.entries, lastHash: h.last_hash })).sort((a, b) => a.chain.localeCompare(b.chain)));
		const text = formatChainReport(report).split('\n');
		expect(text[0]).toBe('OK, 7 entries in 3 chains');
		expect(text.slice(1)).toEqual([`  global: 2 entries, last ${heads.find((h) => h.chain === 'global')!.last_hash}`, expect.stringMatching(/^  outlet o1: 3 entries, last [0-9a-f]{64}$/), expect.stringMatching(/^  outlet o2: 2 entries/)]);
	});

	it('reports exactly the altered row, not the rows after it', () => {
		const { rows, heads } = chainOf(outlets);
		rows[3] = { ...rows[3], details: '{"n":999}' };
		const report = verify(rows, heads);
		expect(report.breaks).toEqual([{ chain: 'o1', outletId: 'o1', entryId: 'e4', seq: 4, reason: 'entry_altered' }]);
		expect(formatChainReport(report)).toContain('outlet o1: entry e4 (seq 4): entry altered');
	});

	it('reports the row after a removed one, and a re-hashed forgery at the next link', () => {
		const { rows, heads } = chainOf(outlets);
		expect(verify(rows.filter((r) => r.seq !== 4), heads).breaks).toEqual([{ chain: 'o1', outletId: 'o1', entryId: 'e5', seq: 5, reason: 'link_broken' }]);
		const forged = rows.map((r) => ({ ...r }));
		forged[3].details = '{"n":999}';
		forged[3].entry_hash = auditEntryHash(forged[3], forged[3].prev_hash!);
		expect(verify(forged, heads).breaks.map((b) => [b.entryId, b.reason])).toEqual([['e5', 'link_broken']]);
	});

	it('reports a cut-off tail, a missing head and rows without hash', () => {
		const { rows, heads } = chainOf(outlets);
		expect(verify(rows.filter((r) => r.seq !== 7), heads).breaks).toEqual([{ chain: 'global', outletId: null, entryId: 'e3', seq: 3, reason: 'tail_missing' }]);
		expect(verify(rows, heads.filter((h) => h.chain !== 'o2')).breaks.map((b) => b.reason)).toEqual(['head_missing']);
		const unhashed = rows.map((r) => (r.seq === 2 ? { ...r, entry_hash: null } : r));
		expect(verify(unhashed, heads).breaks.map((b) => [b.entryId, b.reason])).toEqual([['e2', 'unhashed']]);
	});
});
