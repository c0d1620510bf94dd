import type { Kysely } from 'kysely';
import { shanghaiInstant } from '$lib/domain/calendar';
import { makeResidentId } from '$lib/domain/resident-id';
import type { Database } from '$lib/server/db';
import { recordAudit } from '$lib/server/audit';

/*
 * A small fixed history for the report tests, written straight into the tables so every instant
 * is known. Calendar: 2026-10-01…07 holidays, Saturday 2026-10-10 a working day. Outlet A decides
 * within 1 working day and visits within 3; outlet B the same. "Now" is 2026-11-02 12:00.
 * The expected figures in reports.test.ts are counted by hand from the list below.
 */

type Db = Kysely<Database>;
export const REPORT_NOW = new Date(shanghaiInstant('2026-11-02', '12:00'));
const at = (date: string, time: string) => shanghaiInstant(date, time);

export interface ReportFixture {
	outletA: string;
	outletB: string;
	communityA1: string;
	communityA2: string;
	communityB: string;
	head: string;
	headB: string;
	worker2: string;
	staff: [string, string, string];
	idNumbers: string[];
	refs: Record<string, string>;
}

export async function seedReportFixture(db: Db): Promise<ReportFixture> {
	await db.insertInto('branches').values({ id: 'br', name: '测试支行' }).execute();
	const outlet = (id: string, name: string) => ({ id, branch_id: 'br', name, address: '地址', lat: 30.1, lng: 120.2, opening_hours: '', decide_days: 1, visit_days: 3, active: 1 as const });
	await db.insertInto('outlets').values([outlet('oA', '城厢测试网点'), outlet('oB', '北干测试网点')]).execute();
	await db.insertInto('communities').values([
		{ id: 'cA1', outlet_id: 'oA', name: '高桥测试社区', district: '城厢街道', active: 1 },
		{ id: 'cA2', outlet_id: 'oA', name: '湘湖测试社区', district: '蜀山街道', active: 1 },
		{ id: 'cB', outlet_id: 'oB', name: '金城测试社区', district: '北干街道', active: 1 }
	]).execute();
	const user = (id: string, role: string, outletId: string | null, communityId: string | null, name: string) => ({
		id, username: id, display_name: name, password_hash: 'x', role, outlet_id: outletId, community_id: communityId, created_at: at('2026-01-01', '08:00')
	});
	await db.insertInto('users').values([
		user('head', 'outlet_head', 'oA', null, '王主任'),
		user('headB', 'outlet_head', 'oB', null, '李主任'),
		user('w1', 'community_worker', null, 'cA1', '社工一'),
		user('w2', 'community_worker', null, 'cA2', '社工二'),
		user('s1', 'field_staff', 'oA', null, '张一'),
		user('s2', 'field_staff', 'oA', null, '陈二'),
		user('s3', 'field_staff', 'oA', null, '刘三'),
		user('sB1', 'field_staff', 'oB', null, '周四'),
		user('sB2', 'field_staff', 'oB', null, '吴五')
	]).execute();
	await db.insertInto('services').values([
		{ code: 'ss_card_activation', name_zh: '社保卡激活', name_en: 'Social-security card activation', duration_min: 20, active: 1, sort: 1 },
		{ code: 'pin_reset', name_zh: '密码重置', name_en: 'PIN reset', duration_min: 15, active: 1, sort: 2 }
	]).execute();
	const holidays = ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday', name: '国庆节' }));
	await db.insertInto('calendar_days').values([...holidays, { date: '2026-10-10', kind: 'workday', name: '国庆节调休' }]).execute();

	const idNumbers: string[] = [];
	const refs: Record<string, string> = {};
	let n = 0;
	async function request(key: string, o: { outlet: string; community: string; created: string; status: string; services: string[]; urgency?: string; decided?: string | null }) {
		n++;
		const idNumber = makeResidentId('330109', `19${40 + n}-03-1${n % 9}`, String(100 + n * 2 + 1));
		idNumbers.push(idNumber);
		await db.insertInto('residents').values({
			id: `res${key}`, community_id: o.community, name: `测试老人${key}号`, phone: `1380000${1000 + n}`, id_number: idNumber, address: '测试路 1 号', district: '城厢街道',
			lat: null, lng: null, mobility: 'limited', place_type: 'home', contact_name: null, contact_phone: null, contact_relation: null, created_at: o.created, created_by: 'w1'
		}).execute();
		refs[key] = `R2610-00${String(n).padStart(2, '0')}`;
		await db.insertInto('requests').values({
			id: `req${key}`, ref: refs[key], community_id: o.community, outlet_id: o.outlet, resident_id: `res${key}`, created_by: 'w1', status: o.status,
			urgency: o.urgency ?? 'normal', services: JSON.stringify(o.services), windows: '[]', notes: '', consent_by: 'resident', consent_name: '本人', consent_relation: null,
			consent_version: 'v1', consent_hash: 'h', consent_at: o.created, consent_recorded_by: 'w1', decision_reason: null, created_at: o.created, updated_at: o.created, decided_at: o.decided ?? null
		}).execute();
	}
	async function visit(id: string, key: string, o: { outlet: string; scheduled: string; date: string; lead: string; second: string; status: 'scheduled' | 'visited'; outcome?: string; visitedAt?: string }) {
		await db.insertInto('visits').values({
			id, request_id: `req${key}`, outlet_id: o.outlet, date: o.date, window_start: '09:00', window_end: '11:00', lead_staff_id: o.lead, second_staff_id: o.second,
			status: o.status, outcome: o.outcome ?? null, outcome_note: null, visited_at: o.visitedAt ?? null, created_at: o.scheduled, updated_at: o.scheduled
		}).execute();
	}

	// R1 (September): received the day before the holidays, approved right after them: within (1 working day).
	await request('1', { outlet: 'oA', community: 'cA1', created: at('2026-09-30', '10:00'), status: 'completed', services: ['pin_reset'], decided: at('2026-10-08', '09:00') });
	await visit('v1', '1', { outlet: 'oA', scheduled: at('2026-10-08', '09:00'), date: '2026-10-12', lead: 's1', second: 's2', status: 'visited', outcome: 'completed', visitedAt: at('2026-10-12', '15:00') });
	// R2: received on a holiday (counts from 10-08), approved 10-09; first visit late (not home), a reopen, second visit completed.
	await request('2', { outlet: 'oA', community: 'cA1', created: at('2026-10-01', '09:00'), status: 'completed', services: ['ss_card_activation'], decided: at('2026-10-15', '09:00') });
	await visit('v2a', '2', { outlet: 'oA', scheduled: at('2026-10-09', '16:00'), date: '2026-10-14', lead: 's1', second: 's2', status: 'visited', outcome: 'not_home', visitedAt: at('2026-10-14', '10:00') });
	await visit('v2b', '2', { outlet: 'oA', scheduled: at('2026-10-15', '09:00'), date: '2026-10-16', lead: 's2', second: 's1', status: 'visited', outcome: 'completed', visitedAt: at('2026-10-16', '10:00') });
	// R3: rejected after two working days: late.
	await request('3', { outlet: 'oA', community: 'cA1', created: at('2026-10-12', '10:00'), status: 'rejected', services: ['pin_reset'], decided: at('2026-10-14', '09:00') });
	// R4: cancelled before a decision.
	await request('4', { outlet: 'oA', community: 'cA1', created: at('2026-10-13', '11:00'), status: 'cancelled', services: ['pin_reset'], decided: at('2026-10-13', '15:00') });
	// R5: still waiting: overdue since the end of 10-19.
	await request('5', { outlet: 'oA', community: 'cA1', created: at('2026-10-16', '09:00'), status: 'submitted', services: ['ss_card_activation'] });
	// R6: approved at once, the visit still scheduled: overdue since the end of 10-22.
	await request('6', { outlet: 'oA', community: 'cA1', created: at('2026-10-19', '09:00'), status: 'approved', services: ['pin_reset'], decided: at('2026-10-19', '10:00') });
	await visit('v6', '6', { outlet: 'oA', scheduled: at('2026-10-19', '10:00'), date: '2026-10-22', lead: 's2', second: 's3', status: 'scheduled' });
	// R7 (urgent, two services): refused at the door, within the limits.
	await request('7', { outlet: 'oA', community: 'cA1', created: at('2026-10-20', '09:00'), status: 'refused', services: ['ss_card_activation', 'pin_reset'], urgency: 'urgent', decided: at('2026-10-21', '09:00') });
	await visit('v7', '7', { outlet: 'oA', scheduled: at('2026-10-21', '09:00'), date: '2026-10-23', lead: 's1', second: 's3', status: 'visited', outcome: 'refused', visitedAt: at('2026-10-23', '10:00') });
	// R8 (outlet B): the other outlet, which outlet A's head must never see.
	await request('8', { outlet: 'oB', community: 'cB', created: at('2026-10-12', '09:00'), status: 'completed', services: ['pin_reset'], decided: at('2026-10-12', '10:00') });
	await visit('v8', '8', { outlet: 'oB', scheduled: at('2026-10-12', '10:00'), date: '2026-10-13', lead: 'sB1', second: 'sB2', status: 'visited', outcome: 'completed', visitedAt: at('2026-10-13', '10:00') });
	// R9 (community A2): completed with 25 minutes of recorded travel; its evidence was sent back once.
	await request('9', { outlet: 'oA', community: 'cA2', created: at('2026-10-21', '09:00'), status: 'completed', services: ['pin_reset'], decided: at('2026-10-22', '09:00') });
	await visit('v9', '9', { outlet: 'oA', scheduled: at('2026-10-22', '09:00'), date: '2026-10-23', lead: 's3', second: 's1', status: 'visited', outcome: 'completed', visitedAt: at('2026-10-23', '14:00') });
	await db.insertInto('visit_progress').values({ visit_id: 'v9', travel_started_at: at('2026-10-23', '13:00'), arrived_at: at('2026-10-23', '13:25'), updated_at: at('2026-10-23', '14:00') }).execute();
	await db.insertInto('evidence_reviews').values({ visit_id: 'v9', status: 'accepted', reason: null, reviewed_by: 'head', reviewed_at: at('2026-10-24', '10:00') }).execute();
	await recordAudit(db, { actorId: 'head', action: 'evidence_send_back', entity: 'visit', entityId: 'v9', outletId: 'oA', at: new Date(at('2026-10-23', '16:00')), details: { reason: '补拍' } });
	await recordAudit(db, { actorId: 'head', action: 'evidence_accept', entity: 'visit', entityId: 'v9', outletId: 'oA', at: new Date(at('2026-10-24', '10:00')), details: {} });

	return { outletA: 'oA', outletB: 'oB', communityA1: 'cA1', communityA2: 'cA2', communityB: 'cB', head: 'head', headB: 'headB', worker2: 'w2', staff: ['s1', 's2', 's3'], idNumbers, refs };
}
