import { describe, expect, it } from 'vitest';
import { addDays, calendarFromDays, rollForward, shanghaiInstant } from '$lib/domain/calendar';
import type { SessionUser } from '$lib/server/auth/types';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { pullChanges } from '$lib/server/sync/pull';
import { approveRequest, recordOutcome, reviewEvidence, submitRequest, WorkflowError } from '$lib/server/workflow';
import { actor, newRequestInput, seedDemo, today, sessionUserOf } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

describe.each(DIALECTS)('the outlet head reviews a visit’s evidence on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	const sessionUser = (username: string): Promise<SessionUser> => sessionUserOf(t.db, username);
	const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof WorkflowError ? e.code : String(e)));

	it('accepts or sends back with a reason; the team’s tablet pulls the decision; other heads are refused', async () => {
		const head = await actor(t.db, 'head1');
		const [s1, s2] = await Promise.all([actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const date = rollForward(addDays(today(), 30), calendarFromDays(await listCalendarDays(t.db)));
		const input = newRequestInput({ windows: [{ date, start: '18:30', end: '19:30' }] });
		const request = await submitRequest(t.db, await actor(t.db, 'worker1'), input);
		const { visit } = await approveRequest(t.db, head, request.id, { date, start: '18:30', end: '19:30', leadStaffId: s1.id, secondStaffId: s2.id });

		// Nothing to review before the outcome is recorded.
		expect(await codeOf(reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'accepted' }))).toBe('err_visit_not_recorded');
		await recordOutcome(t.db, head, request.id, { outcome: 'completed', note: '' });

		// Sending back needs a reason; another outlet's head may not decide; a foreign visit id is unknown.
		expect(await codeOf(reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'sent_back', reason: '  ' }))).toBe('err_reason_required');
		expect(await codeOf(reviewEvidence(t.db, await actor(t.db, 'head2'), request.id, { visitId: visit.id, decision: 'accepted' }))).toBe('err_forbidden');
		expect(await codeOf(reviewEvidence(t.db, head, 'another-request', { visitId: visit.id, decision: 'accepted' }))).toBe('err_not_found');
		expect(await t.db.selectFrom('evidence_reviews').selectAll().where('visit_id', '=', visit.id).execute()).toEqual([]);

		const staff1 = await sessionUser('staff1');
		const now = new Date(shanghaiInstant(addDays(date, -1), '18:00'));
		const before = await pullChanges(t.db, staff1, null, now);
		expect(before.visits.find((v) => v.id === visit.id)?.evidenceReview).toBeNull();

		await reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'sent_back', reason: '人像面反光，请补拍' });
		const sentBack = await pullChanges(t.db, staff1, before.cursor, now);
		expect(sentBack.visits.find((v) => v.id === visit.id)?.evidenceReview).toMatchObject({ status: 'sent_back', reason: '人像面反光，请补拍' });

		// A visited visit from days ago stays on the tablet while its evidence is sent back.
		const later = new Date(shanghaiInstant(addDays(date, 3), '09:00'));
		expect((await pullChanges(t.db, staff1, null, later)).visits.map((v) => v.id)).toContain(visit.id);

		await reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'accepted' });
		const accepted = await pullChanges(t.db, staff1, sentBack.cursor, now);
		expect(accepted.visits.find((v) => v.id === visit.id)?.evidenceReview).toMatchObject({ status: 'accepted', reason: null });
		expect((await pullChanges(t.db, staff1, null, later)).visits.map((v) => v.id)).not.toContain(visit.id);

		const audit = await t.db.selectFrom('audit_log').select(['action']).where('entity_id', '=', visit.id).where('action', 'like', 'evidence_%').orderBy('seq').execute();
		expect(audit.map((a) => a.action)).toEqual(['evidence_send_back', 'evidence_accept']);
	});
});
