import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
// The raw chained writer: these test-only actions are not among the labelled AUDIT_ACTIONS.
import { appendAudit as recordAudit } from '$lib/server/repos/audit';
import { auditEntryHashFor, verifyAuditChains } from '$lib/server/audit-chain/store';
import { up as chainMigration } from '$lib/server/db/migrations/005_audit_chain';
import { actor, seedDemo } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

/*
 * The audit hash chain on both databases: the demo seed and concurrent appends verify; altering
 * one row's details makes the verifier (and `npm run audit:verify`) name exactly that row.
 */
describe.each(DIALECTS)('audit hash chain on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	function runVerifyScript(): { status: number | null; out: string } {
		const env = { ...process.env, DATABASE_URL: t.options.databaseUrl, DATA_DIR: t.options.dataDir };
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { env, encoding: 'utf8', timeout: 60_000 });
		return { status: r.status, out: `${r.stdout}${r.stderr}` };
	}

	it('the seeded log verifies; each entry links to its outlet chain predecessor', async () => {
		const report = await verifyAuditChains(t.db);
		expect(report.ok).toBe(true);
		expect(report.entries).toBeGreaterThan(10);
		expect(report.chains).toBeGreaterThan(1);
		const rows = await t.db.selectFrom('audit_log').select(['outlet_id', 'prev_hash', 'entry_hash']).orderBy('seq').execute();
		const firstOfChain = new Set<string>();
		for (const r of rows) {
			expect(r.entry_hash).toMatch(/^[0-9a-f]{64}$/);
			if (!firstOfChain.has(r.outlet_id ?? '')) {
				firstOfChain.add(r.outlet_id ?? '');
				expect(r.prev_hash).toBe('0'.repeat(64));
			}
		}
	});

	it('concurrent appends to the same and different outlets keep every chain intact', async () => {
		const [head1, head2] = await Promise.all([actor(t.db, 'head1'), actor(t.db, 'head2')]);
		await Promise.all(
			Array.from({ length: 24 }, (_, i) =>
				t.db.transaction().execute(async (trx) => {
					const who = i % 3 === 0 ? head2 : head1;
					await recordAudit(trx, { actorId: who.id, action: 'test_concurrent', entity: 'request', entityId: `c${i}`, outletId: i % 5 === 0 ? null : who.outletId, details: { i } });
					await recordAudit(trx, { actorId: who.id, action: 'test_concurrent', entity: 'request', entityId: `c${i}b`, outletId: who.outletId, details: { i, second: true } });
				})
			)
		);
		// Outside a transaction too (the writer opens its own).
		await Promise.all(Array.from({ length: 6 }, (_, i) => recordAudit(t.db, { actorId: null, action: 'test_plain', entity: 'calendar', entityId: `p${i}`, outletId: null })));
		expect(await verifyAuditChains(t.db)).toMatchObject({ ok: true, breaks: [] });
	});

	it('a rolled-back transaction leaves no entry and no gap', async () => {
		const head1 = await actor(t.db, 'head1');
		await expect(
			t.db.transaction().execute(async (trx) => {
				await recordAudit(trx, { actorId: head1.id, action: 'test_rollback', entity: 'request', entityId: 'rb', outletId: head1.outletId });
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		await recordAudit(t.db, { actorId: head1.id, action: 'test_after_rollback', entity: 'request', entityId: 'rb', outletId: head1.outletId });
		expect((await verifyAuditChains(t.db)).ok).toBe(true);
	});

	it('auditEntryHashFor gives the latest entry of an action about an entity', async () => {
		const head1 = await actor(t.db, 'head1');
		await recordAudit(t.db, { actorId: head1.id, action: 'test_evidence', entity: 'visit', entityId: 'v-evidence', outletId: head1.outletId, details: { n: 1 } });
		const second = (await recordAudit(t.db, { actorId: head1.id, action: 'test_evidence', entity: 'visit', entityId: 'v-evidence', outletId: head1.outletId, details: { n: 2 } }))!;
		const found = await auditEntryHashFor(t.db, 'visit', 'v-evidence', 'test_evidence');
		const stored = await t.db.selectFrom('audit_log').select('entry_hash').where('id', '=', second.id).executeTakeFirstOrThrow();
		expect(found).toMatchObject({ id: second.id, entryHash: stored.entry_hash });
		expect(await auditEntryHashFor(t.db, 'visit', 'v-evidence', 'no_such_action')).toBeNull();
	});

	it('the migration chains entries written before it, in seq order', async () => {
		// Simulate a database from before 005: the last few entries have no hash yet.
		const last = await t.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(5).execute();
		const from = Number(last[last.length - 1].seq);
		const before = await verifyAuditChains(t.db);
		// Rewind the heads to the state before those entries and drop their hashes.
		const rows = await t.db.selectFrom('audit_log').selectAll().where('seq', '>=', from).orderBy('seq').execute();
		for (const r of rows.reverse()) {
			const chain = r.outlet_id ?? 'global';
			await t.db.updateTable('audit_chain_heads').set((eb) => ({ last_hash: r.prev_hash!, entries: eb('entries', '-', 1) })).where('chain', '=', chain).execute();
		}
		await t.db.updateTable('audit_log').set({ prev_hash: null, entry_hash: null }).where('seq', '>=', from).execute();
		expect((await verifyAuditChains(t.db)).ok).toBe(false);
		await chainMigration(t.db);
		const after = await verifyAuditChains(t.db);
		expect(after).toMatchObject({ ok: true, entries: before.entries });
	});

	it('altering one row in the database: the verifier and npm run audit:verify report exactly that row', async () => {
		const ok = runVerifyScript();
		expect(ok.out).toMatch(/^OK, \d+ entries in \d+ chains/);
		expect(ok.status).toBe(0);

		const victim = await t.db.selectFrom('audit_log').select(['id', 'seq', 'outlet_id', 'details']).where('outlet_id', 'is not', null).orderBy('seq').offset(3).limit(1).executeTakeFirstOrThrow();
		await sql`update audit_log set details = ${'{"reason":"tampered"}'} where id = ${victim.id}`.execute(t.db);

		const report = await verifyAuditChains(t.db);
		expect(report.ok).toBe(false);
		expect(report.breaks).toEqual([{ chain: victim.outlet_id, outletId: victim.outlet_id, entryId: victim.id, seq: Number(victim.seq), reason: 'entry_altered' }]);

		const broken = runVerifyScript();
		expect(broken.status).toBe(1);
		expect(broken.out).toContain(`entry ${victim.id}`);
		expect(broken.out).toContain(`outlet ${victim.outlet_id}`);
		expect(broken.out.match(/BROKEN chain/g)).toHaveLength(1);
	});
});
