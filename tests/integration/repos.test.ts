import { describe, expect, it } from 'vitest';
import { appendAudit, listAuditForEntity, listRecentAudit } from '$lib/server/repos/audit';
import { deleteCalendarDay, listCalendarDays, upsertCalendarDay } from '$lib/server/repos/calendar';
import { createCommunity, listCommunities, updateCommunity } from '$lib/server/repos/communities';
import { createOutlet, getOutlet, listBranches, listOutlets, updateOutlet } from '$lib/server/repos/outlets';
import { getRequest, getRequestDetail, listAllRequests, listCommunityRequests, listOutletInbox, updateRequest } from '$lib/server/repos/requests';
import { searchResidents } from '$lib/server/repos/residents';
import { getService, listServices, setServiceActive, upsertService } from '$lib/server/repos/services';
import { createSession, deleteExpiredSessions, deleteSessionsForUser, getSessionWithUser, touchSession } from '$lib/server/repos/sessions';
import {
	clearFailedLogins,
	createUser,
	deactivateUser,
	findUserForLogin,
	getUser,
	isLocked,
	reactivateUser,
	recordFailedLogin,
	setPasswordHash
} from '$lib/server/repos/users';
import { listVisitsForOutlet, listVisitsForRequest, listVisitsForStaff } from '$lib/server/repos/visits';
import { actor, seedDemo, today } from './fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

const HOUR = 3_600_000;

describe.each(DIALECTS)('repositories on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);

	it('users: no hash unless asked, case-insensitive names, lock after failures', async () => {
		const user = await createUser(t.db, { username: ' Tester ', displayName: '测试', passwordHash: 'h1', role: 'field_staff', outletId: (await actor(t.db, 'staff1')).outletId });
		expect(user.username).toBe('tester');
		expect(user).not.toHaveProperty('passwordHash');
		expect(await getUser(t.db, user.id)).not.toHaveProperty('passwordHash');
		expect((await findUserForLogin(t.db, 'TESTER'))?.passwordHash).toBe('h1');

		const now = new Date();
		const policy = { maxFailures: 3, lockMinutes: 15, now };
		expect((await recordFailedLogin(t.db, user.id, policy)).lockedUntil).toBeNull();
		expect((await recordFailedLogin(t.db, user.id, policy)).failedLogins).toBe(2);
		const locked = await recordFailedLogin(t.db, user.id, policy);
		expect(locked.lockedUntil).toBe(new Date(now.getTime() + 15 * 60_000).toISOString());
		const stored = (await getUser(t.db, user.id))!;
		expect(isLocked(stored, now)).toBe(true);
		expect(isLocked(stored, new Date(now.getTime() + 16 * 60_000))).toBe(false);
		await clearFailedLogins(t.db, user.id);
		expect(await getUser(t.db, user.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });

		await createSession(t.db, { id: 'sess-tester', userId: user.id, expiresAt: new Date(Date.now() + HOUR) });
		await setPasswordHash(t.db, user.id, 'h2');
		expect((await findUserForLogin(t.db, 'tester'))?.passwordHash).toBe('h2');
		expect(await getSessionWithUser(t.db, 'sess-tester')).toBeNull(); // signed out everywhere

		await createSession(t.db, { id: 'sess-tester-2', userId: user.id, expiresAt: new Date(Date.now() + HOUR) });
		expect(await deactivateUser(t.db, user.id)).toBe(true);
		expect(await getSessionWithUser(t.db, 'sess-tester-2')).toBeNull();
		expect((await getUser(t.db, user.id))?.active).toBe(false);
		await reactivateUser(t.db, user.id);
		expect((await getUser(t.db, user.id))?.active).toBe(true);
	});

	it('sessions: carry the user, slide, expire and are cleaned up', async () => {
		const head = await actor(t.db, 'head1');
		const now = new Date();
		await createSession(t.db, { id: 'sess-a', userId: head.id, expiresAt: new Date(now.getTime() + HOUR) }, now);
		await createSession(t.db, { id: 'sess-old', userId: head.id, expiresAt: new Date(now.getTime() - 1) }, new Date(now.getTime() - HOUR));
		const found = await getSessionWithUser(t.db, 'sess-a', now);
		expect(found?.user).toEqual({ id: head.id, username: 'head1', displayName: head.displayName, role: 'outlet_head', outletId: head.outletId, communityId: null });
		expect(await getSessionWithUser(t.db, 'sess-old', now)).toBeNull();
		expect(await getSessionWithUser(t.db, 'sess-a', new Date(now.getTime() + 2 * HOUR))).toBeNull();

		await touchSession(t.db, 'sess-a', { now, expiresAt: new Date(now.getTime() + 3 * HOUR) });
		expect(await getSessionWithUser(t.db, 'sess-a', new Date(now.getTime() + 2 * HOUR))).not.toBeNull();

		expect(await deleteExpiredSessions(t.db, now)).toBe(1);
		expect(await deleteSessionsForUser(t.db, head.id)).toBe(1);
		expect(await getSessionWithUser(t.db, 'sess-a', now)).toBeNull();
	});

	it('residents: search by name or phone fragment within one community, wildcards literal', async () => {
		const worker = await actor(t.db, 'worker1');
		const all = await searchResidents(t.db, worker.communityId!, '');
		expect(all.length).toBeGreaterThan(3);
		expect(all.every((r) => r.communityId === worker.communityId)).toBe(true);
		const someone = all[2];
		expect((await searchResidents(t.db, worker.communityId!, someone.name.slice(0, 2))).map((r) => r.id)).toContain(someone.id);
		expect((await searchResidents(t.db, worker.communityId!, someone.phone.slice(3, 9))).map((r) => r.id)).toContain(someone.id);
		expect(await searchResidents(t.db, worker.communityId!, '%')).toEqual([]);
		const other = await actor(t.db, 'worker4');
		expect((await searchResidents(t.db, other.communityId!, someone.name)).map((r) => r.id)).not.toContain(someone.id);
	});

	it('requests: inbox oldest first with joins, lists, optimistic update', async () => {
		const head = await actor(t.db, 'head1');
		const inbox = await listOutletInbox(t.db, head.outletId!);
		expect(inbox.length).toBeGreaterThan(0);
		expect(inbox.every((r) => r.status === 'submitted' && r.outletId === head.outletId)).toBe(true);
		expect(inbox.map((r) => r.createdAt)).toEqual([...inbox.map((r) => r.createdAt)].sort());
		expect(inbox[0].resident.name).toBeTruthy();
		expect(inbox[0].communityName).toBeTruthy();

		const open = await listOutletInbox(t.db, head.outletId!, { statuses: ['approved'] });
		expect(open.every((r) => r.scheduledVisit !== null)).toBe(true);

		const worker = await actor(t.db, 'worker1');
		const mine = await listCommunityRequests(t.db, worker.communityId!);
		expect(mine.every((r) => r.communityId === worker.communityId)).toBe(true);
		expect(mine.map((r) => r.createdAt)).toEqual([...mine.map((r) => r.createdAt)].sort().reverse());
		expect((await listAllRequests(t.db, { limit: 5 })).length).toBe(5);

		const target = inbox[0];
		expect((await getRequestDetail(t.db, target.id))?.resident.idNumber).toBe(target.resident.idNumber);
		expect(await updateRequest(t.db, target.id, target.version + 1, { notes: 'stale' })).toEqual({ ok: false });
		expect((await getRequest(t.db, target.id))?.notes).toBe(target.notes);
		expect(await updateRequest(t.db, target.id, target.version, { notes: 'fresh' })).toEqual({ ok: true, version: target.version + 1 });
		expect(await getRequest(t.db, target.id)).toMatchObject({ notes: 'fresh', version: target.version + 1 });
	});

	it('visits: by staff and date, by outlet and date, by request', async () => {
		const head = await actor(t.db, 'head1');
		const day = await listVisitsForOutlet(t.db, head.outletId!, today());
		expect(day.length).toBeGreaterThan(0);
		expect(day.map((v) => v.windowStart)).toEqual([...day.map((v) => v.windowStart)].sort());
		const v = day[0];
		expect(v.resident.name).toBeTruthy();
		expect(v.leadStaffName).toBeTruthy();
		const lead = await listVisitsForStaff(t.db, v.leadStaffId, today());
		const second = await listVisitsForStaff(t.db, v.secondStaffId, today());
		expect(lead.map((x) => x.id)).toContain(v.id);
		expect(second.map((x) => x.id)).toContain(v.id);
		expect((await listVisitsForRequest(t.db, v.requestId)).map((x) => x.id)).toContain(v.id);
	});

	it('outlets, communities, services, calendar', async () => {
		const [branch] = await listBranches(t.db);
		const outlet = await createOutlet(t.db, { branchId: branch.id, name: '测试网点', address: '测试地址', lat: 30.1, lng: 120.2, openingHours: '' });
		expect(outlet).toMatchObject({ decideDays: 1, visitDays: 5, active: true });
		await updateOutlet(t.db, outlet.id, { active: false, decideDays: 2 });
		expect(await getOutlet(t.db, outlet.id)).toMatchObject({ active: false, decideDays: 2 });
		expect((await listOutlets(t.db, { activeOnly: true })).map((o) => o.id)).not.toContain(outlet.id);
		const community = await createCommunity(t.db, { outletId: outlet.id, name: '测试社区', district: '城厢街道' });
		expect(await updateCommunity(t.db, community.id, {})).toBe(true);
		expect((await listCommunities(t.db, { outletId: outlet.id })).map((c) => c.name)).toEqual(['测试社区']);

		await upsertService(t.db, { code: 'test_svc', nameZh: '测试', nameEn: 'Test', durationMin: 5, active: true, sort: 999 });
		await upsertService(t.db, { code: 'test_svc', nameZh: '测试2', nameEn: 'Test 2', durationMin: 6, active: true, sort: 999 });
		expect(await getService(t.db, 'test_svc')).toMatchObject({ nameZh: '测试2', durationMin: 6 });
		await setServiceActive(t.db, 'test_svc', false);
		expect((await listServices(t.db, { activeOnly: true })).map((s) => s.code)).not.toContain('test_svc');

		await upsertCalendarDay(t.db, { date: '2031-05-05', kind: 'holiday', name: '测试' });
		await upsertCalendarDay(t.db, { date: '2031-05-05', kind: 'workday', name: '调休' });
		expect(await listCalendarDays(t.db, { from: '2031-05-01', to: '2031-05-31' })).toEqual([{ date: '2031-05-05', kind: 'workday', name: '调休' }]);
		expect(await deleteCalendarDay(t.db, '2031-05-05')).toBe(true);
		expect(await deleteCalendarDay(t.db, '2031-05-05')).toBe(false);
	});

	it('audit: append, by entity, recent first', async () => {
		const head = await actor(t.db, 'head2');
		const entry = (await appendAudit(t.db, { actorId: head.id, action: 'test_action', entity: 'outlet', entityId: head.outletId!, outletId: head.outletId, details: { n: 1 } }))!;
		expect(entry.seq).toBeGreaterThan(0);
		expect((await listAuditForEntity(t.db, 'outlet', head.outletId!)).at(-1)).toMatchObject({ id: entry.id, details: { n: 1 } });
		const recent = await listRecentAudit(t.db, { outletId: head.outletId!, limit: 3 });
		expect(recent[0]).toMatchObject({ id: entry.id, actorName: head.displayName });
		expect(recent.map((e) => e.seq)).toEqual([...recent.map((e) => e.seq)].sort((a, b) => b - a));
	});
});
