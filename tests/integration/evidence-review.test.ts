import { describe, expect, it } from 'vitest';
import { addDays, calendarFromDays, rollForward, shanghaiInstant } from '$lib/domain/calendar';
import type { SessionUser } from '$lib/server/auth/types';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { pullChanges } from '$lib/server/sync/pull';
import { approveRequest, recordOutcome, reviewEvidence, submitRequest, WorkflowError } from '$lib/server/workflow';
import { insertPhoto } from '$lib/server/photos/repo';
import { saveProgress } from '$lib/server/sync/progress-repo';
import { EMPTY_PROGRESS } from '$lib/server/sync/progress-merge';
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

	it('is not accepted while photos the tablet listed at completion have not arrived; sending back stays possible', async () => {
		const head = await actor(t.db, 'head1');
		const [s1, s2] = await Promise.all([actor(t.db, 'staff1'), actor(t.db, 'staff2')]);
		const date = rollForward(addDays(today(), 31), calendarFromDays(await listCalendarDays(t.db)));
		const request = await submitRequest(t.db, await actor(t.db, 'worker1'), newRequestInput({ windows: [{ date, start: '18:30', end: '19:30' }] }));
		const { visit } = await approveRequest(t.db, head, request.id, { date, start: '18:30', end: '19:30', leadStaffId: s1.id, secondStaffId: s2.id });
		await recordOutcome(t.db, head, request.id, { outcome: 'completed', note: '' });
		const now = new Date();
		const listed = ['id_front', 'id_back'].map((kind, i) => ({ id: crypto.randomUUID(), kind, sha256: String(i + 4).repeat(64), bytes: 200_000, takenAt: now.toISOString(), position: null }));
		expect(await saveProgress(t.db, visit.id, 0, { ...EMPTY_PROGRESS, photos: listed } as typeof EMPTY_PROGRESS, s1.id, now)).toBe(1);
		const receive = (e: (typeof listed)[number]) =>
			insertPhoto(t.db, { id: e.id, visitId: visit.id, requestId: request.id, kind: e.kind, sha256: e.sha256, bytes: e.bytes, width: 2048, height: 1536, takenAt: e.takenAt, position: null, uploadedById: s1.id } as Parameters<typeof insertPhoto>[1], now);

		await receive(listed[0]);
		const refused = reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'accepted' });
		await expect(refused).rejects.toMatchObject({ code: 'err_evidence_photos_waiting', status: 409 });
		expect(await t.db.selectFrom('evidence_reviews').selectAll().where('visit_id', '=', visit.id).execute()).toEqual([]);
		await reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'sent_back', reason: '国徽面照片还没传上来' });

		await receive(listed[1]);
		expect((await reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'accepted' })).status).toBe('accepted');
	});
});
