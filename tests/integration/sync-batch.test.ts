/*
 * The batch engine of a sync push (src/lib/server/sync/push.ts, batch.ts): one transaction per
 * batch, progress merged in memory and written once, records and audit entries written at the
 * end. What must not change with it: a refusal undoes only its mutation, a duplicate id applies
 * once, the audit chains stay intact, and two tablets of one team pushing the same visits in
 * opposite orders at once both get through (PostgreSQL locks the visits in id order).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '$lib/domain/calendar';
import { verifyAuditChains } from '$lib/server/audit-chain/store';
import type { SessionUser } from '$lib/server/auth/types';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { registerDevice } from '$lib/server/sync/devices';
import { pushMutations } from '$lib/server/sync/push';
import { approveRequest, submitRequest } from '$lib/server/workflow';
import type { Mutation, MutationType, PayloadByType } from '$lib/client/sync/protocol';
import { actor, newRequestInput, seedDemo, sessionUserOf, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

let slot = 0;

describe.each(DIALECTS)('sync batches on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	/** A visit of staff1 + staff2, the day after tomorrow, at a minute no other test uses. */
	async function visitOfTeam() {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		slot++;
		const at = (n: number) => `04:${String(n).padStart(2, '0')}`;
		const { visit } = await approveRequest(t.db, head, request.id, { date: addDays(today(), 2), start: at(slot * 2), end: at(slot * 2 + 1), leadStaffId: s1.id, secondStaffId: s2.id });
		return visit;
	}

	const tick = (visitId: string, ticked: number[], serviceCode = 'pin_reset'): Mutation<'visit.checklist'> => mutation('visit.checklist', visitId, { serviceCode, ticked, at: new Date().toISOString() });
	function mutation<T extends MutationType>(type: T, entityId: string, payload: PayloadByType[T]): Mutation<T> {
		return { id: randomUUID(), type, entityId, baseVersion: 1, payload, createdAt: new Date().toISOString(), deviceId: 'dev' };
	}
	async function pushAs(user: SessionUser, mutations: Mutation[]) {
		const deviceId = (await registerDevice(t.db, user.id, `tablet of ${user.username}`)).id;
		return pushMutations(t.db, { user, deviceId, now: new Date() }, mutations);
	}
	const checklistOf = async (visitId: string) => {
		const row = await t.db.selectFrom('visit_progress').select(['checklist', 'version']).where('visit_id', '=', visitId).executeTakeFirst();
		return row ? { ticked: (JSON.parse(row.checklist) as Record<string, { ticked: number[] }>).pin_reset?.ticked ?? [], version: row.version } : null;
	};
	const recorded = async (ids: string[]) => (await t.db.selectFrom('sync_mutations').select(['id', 'result']).where('id', 'in', ids).execute()).map((r) => r.result).sort();

	it('a refusal undoes only its own mutation; the visit’s later ones wait, other visits go on', async () => {
		const [a, b] = [await visitOfTeam(), await visitOfTeam()];
		const user = await sessionUserOf(t.db, 'staff1');
		const batch = [tick(a.id, [0]), tick(a.id, [1], 'no_such_service'), tick(a.id, [0, 1]), tick(b.id, [2])];
		const { results } = await pushAs(user, batch);
		expect(results.map((r) => [r.status, 'reason' in r ? r.reason : undefined])).toEqual([
			['applied', undefined],
			['rejected', 'err_unknown_service'],
			['applied', undefined]
		]);
		expect(results[2].id).toBe(batch[3].id);
		// Visit a: the first tick only, written once; visit b: its own tick.
		expect(await checklistOf(a.id)).toEqual({ ticked: [0], version: 1 });
		expect(await checklistOf(b.id)).toEqual({ ticked: [2], version: 1 });
		expect(await recorded(batch.map((m) => m.id))).toEqual(['applied', 'applied', 'rejected']);
		const actions = (await listAuditForEntity(t.db, 'visit', a.id)).map((e) => e.action);
		expect(actions.filter((x) => x.startsWith('sync_'))).toEqual(['sync_apply', 'sync_reject']);
		// Answers carry the visit as the batch left it.
		expect(results[0].visit?.progress?.checklist).toMatchObject({ pin_reset: { ticked: [0] } });
		expect(await verifyAuditChains(t.db)).toMatchObject({ ok: true, breaks: [] });
	});

	it('a mutation id twice in one batch applies once', async () => {
		const visit = await visitOfTeam();
		const user = await sessionUserOf(t.db, 'staff2');
		const m = tick(visit.id, [1]);
		const { results } = await pushAs(user, [m, m, tick(visit.id, [0])]);
		expect(results.map((r) => r.status)).toEqual(['applied', 'already_applied', 'applied']);
		expect(await recorded([m.id])).toEqual(['applied']);
		expect((await listAuditForEntity(t.db, 'visit', visit.id)).filter((e) => e.action === 'sync_apply')).toHaveLength(2);
		expect(await checklistOf(visit.id)).toMatchObject({ ticked: [0] });
	});

	it('two tablets of one team pushing the same visits in opposite orders both get through', async () => {
		const [a, b] = [await visitOfTeam(), await visitOfTeam()];
		const [s1, s2] = [await sessionUserOf(t.db, 'staff1'), await sessionUserOf(t.db, 'staff2')];
		const rounds = 6;
		const pushes = [];
		for (let i = 0; i < rounds; i++) {
			pushes.push(pushAs(s1, [tick(a.id, [i % 3]), tick(b.id, [i % 3])]));
			pushes.push(pushAs(s2, [tick(b.id, [(i + 1) % 3]), tick(a.id, [(i + 1) % 3])]));
		}
		const answers = await Promise.all(pushes);
		expect(answers.flatMap((r) => r.results.map((x) => x.status))).toEqual(Array(rounds * 4).fill('applied'));
		const rows = Number((await t.db.selectFrom('sync_mutations').select((eb) => eb.fn.countAll<string>().as('n')).where('entity_id', 'in', [a.id, b.id]).executeTakeFirstOrThrow()).n);
		expect(rows).toBe(rounds * 4);
		expect(await verifyAuditChains(t.db)).toMatchObject({ ok: true, breaks: [] });
	});
});
