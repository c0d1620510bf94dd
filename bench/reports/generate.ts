/*
 * A branch-sized history for the report benchmark, written straight into a scratch database in
 * batches: 21 outlets × 4 communities, ≥ 100,000 requests over three years ending today, their
 * visits (with second visits after "not home"), travel check-ins, evidence reviews and
 * send-backs. Deterministic (seeded), so SQLite and PostgreSQL get the same data.
 */
import type { Kysely } from 'kysely';
import { addDays, CN_DEFAULT_CALENDAR_DAYS, addWorkingDays, calendarFromDays, localDate, rollForward, shanghaiInstant } from '$lib/domain/calendar';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import { makeResidentId } from '$lib/domain/resident-id';
import type { Database } from '$lib/server/db';

type Db = Kysely<Database>;

export interface GenerateOptions {
	requests: number;
	outlets: number;
	years: number;
	today: string;
}

function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function insertAll<T extends keyof Database & string>(db: Db, table: T, rows: object[], batch = 500): Promise<void> {
	for (let i = 0; i < rows.length; i += batch) {
		await db.insertInto(table).values(rows.slice(i, i + batch) as never).execute();
	}
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export async function generateHistory(db: Db, o: GenerateOptions): Promise<{ outletIds: string[]; counts: Record<string, number> }> {
	const rand = rng(14);
	const pick = <X>(xs: readonly X[]) => xs[Math.floor(rand() * xs.length)];
	const cal = calendarFromDays(CN_DEFAULT_CALENDAR_DAYS);
	const counts: Record<string, number> = {};

	await db.insertInto('branches').values({ id: 'bench-branch', name: '基准支行' }).execute();
	await insertAll(db, 'calendar_days', CN_DEFAULT_CALENDAR_DAYS.map((d) => ({ date: d.date, kind: d.kind, name: d.name })));
	await insertAll(db, 'services', DEFAULT_SERVICES.map((s, i) => ({ code: s.code, name_zh: s.nameZh, name_en: s.nameEn, duration_min: s.durationMin, active: 1, sort: i, required_photos: JSON.stringify(s.requiredPhotos) })));

	const outletIds: string[] = [];
	const outlets = [];
	const communities: { id: string; outlet: string }[] = [];
	const users = [];
	const staffByOutlet = new Map<string, string[]>();
	const created = shanghaiInstant(addDays(o.today, -o.years * 366 - 30));
	for (let i = 0; i < o.outlets; i++) {
		const id = `bench-o${pad(i + 1, 2)}`;
		outletIds.push(id);
		outlets.push({ id, branch_id: 'bench-branch', name: `基准网点${i + 1}`, address: '地址', lat: 30.1 + i / 100, lng: 120.2, opening_hours: '', decide_days: 1 + (i % 2), visit_days: 3 + (i % 3), active: 1 });
		for (let c = 0; c < 4; c++) communities.push({ id: `${id}-c${c + 1}`, outlet: id });
		users.push({ id: `${id}-head`, username: `bench-head${i + 1}`, display_name: `负责人${i + 1}`, password_hash: 'x', role: 'outlet_head', outlet_id: id, community_id: null, created_at: created });
		const staff: string[] = [];
		for (let s = 0; s < 6; s++) {
			const sid = `${id}-s${s + 1}`;
			staff.push(sid);
			users.push({ id: sid, username: `bench-staff${i + 1}-${s + 1}`, display_name: `外勤${i + 1}-${s + 1}`, password_hash: 'x', role: 'field_staff', outlet_id: id, community_id: null, created_at: created });
		}
		staffByOutlet.set(id, staff);
	}
	await insertAll(db, 'outlets', outlets);
	await insertAll(db, 'communities', communities.map((c, i) => ({ id: c.id, outlet_id: c.outlet, name: `社区${i + 1}`, district: '街道', active: 1 })));
	await insertAll(db, 'users', users);

	const residentsPerCommunity = Math.ceil(o.requests / 3 / communities.length);
	const residents = [];
	for (const [ci, c] of communities.entries()) {
		for (let r = 0; r < residentsPerCommunity; r++) {
			const birth = `19${pad(30 + (r % 30), 2)}-${pad(1 + (r % 12), 2)}-${pad(1 + (r % 28), 2)}`;
			residents.push({
				id: `${c.id}-r${r}`, community_id: c.id, name: `居民${ci}-${r}`, phone: `139${pad((ci * 10000 + r) % 100_000_000, 8)}`,
				id_number: makeResidentId('330109', birth, pad(r % 1000, 3)), address: '地址', district: '街道', lat: null, lng: null,
				mobility: 'limited', place_type: 'home', contact_name: null, contact_phone: null, contact_relation: null, created_at: created, created_by: `${c.outlet}-head`
			});
		}
	}
	await insertAll(db, 'residents', residents, 400);
	counts.residents = residents.length;

	const spanDays = o.years * 365;
	const codes = DEFAULT_SERVICES.map((s) => s.code);
	const requests = [];
	const visits = [];
	const progress = [];
	const reviews = [];
	const audit = [];
	const refCount = new Map<string, number>();
	for (let i = 0; i < o.requests; i++) {
		const c = communities[Math.floor(rand() * communities.length)];
		const outlet = outlets[outletIds.indexOf(c.outlet)];
		const day = addDays(o.today, -Math.floor(rand() * spanDays));
		const createdAt = shanghaiInstant(day, `${pad(8 + Math.floor(rand() * 9), 2)}:${pad(Math.floor(rand() * 60), 2)}`);
		const prefix = `R${day.slice(2, 4)}${day.slice(5, 7)}`;
		const n = (refCount.get(prefix) ?? 0) + 1;
		refCount.set(prefix, n);
		const services = rand() < 0.25 ? [pick(codes), pick(codes)].filter((x, k, a) => a.indexOf(x) === k) : [pick(codes)];
		const age = Math.round((Date.parse(shanghaiInstant(o.today)) - Date.parse(createdAt)) / 86_400_000);
		const roll = rand();
		const t = rollForward(localDate(createdAt), cal);
		const decideDelay = rand() < 0.9 ? Math.floor(rand() * (outlet.decide_days + 1)) : outlet.decide_days + 1 + Math.floor(rand() * 2);
		const decidedDay = addWorkingDays(t, decideDelay, cal);
		const decidedAt = shanghaiInstant(decidedDay, '10:30');
		let status: string;
		let decided: string | null = null;
		const id = `bench-q${i}`;
		const staff = staffByOutlet.get(outlet.id)!;
		if (age < 2 && roll < 0.5) status = 'submitted';
		else if (roll < 0.03) (status = 'rejected'), (decided = decidedAt);
		else if (roll < 0.06) (status = 'cancelled'), (decided = createdAt);
		else {
			decided = decidedAt;
			const lead = pick(staff);
			let second = pick(staff);
			if (second === lead) second = staff[(staff.indexOf(lead) + 1) % staff.length];
			const visitDelay = rand() < 0.9 ? 1 + Math.floor(rand() * outlet.visit_days) : outlet.visit_days + 1 + Math.floor(rand() * 3);
			const visitDay = addWorkingDays(decidedDay, visitDelay, cal);
			if (visitDay > o.today) {
				status = 'approved';
				visits.push({ id: `${id}-v1`, request_id: id, outlet_id: outlet.id, date: visitDay, window_start: '09:00', window_end: '11:00', lead_staff_id: lead, second_staff_id: second, status: 'scheduled', outcome: null, outcome_note: null, visited_at: null, created_at: decidedAt, updated_at: decidedAt });
			} else {
				const r2 = rand();
				const outcome = r2 < 0.8 ? 'completed' : r2 < 0.88 ? 'not_home' : r2 < 0.92 ? 'refused' : 'follow_up';
				const visitedAt = shanghaiInstant(visitDay, `${pad(9 + Math.floor(rand() * 7), 2)}:15`);
				status = outcome === 'completed' || outcome === 'refused' ? (rand() < 0.7 ? 'processed' : outcome) : outcome;
				visits.push({ id: `${id}-v1`, request_id: id, outlet_id: outlet.id, date: visitDay, window_start: '09:00', window_end: '11:00', lead_staff_id: lead, second_staff_id: second, status: 'visited', outcome, outcome_note: null, visited_at: visitedAt, created_at: decidedAt, updated_at: visitedAt });
				if (rand() < 0.7) {
					const start = Date.parse(visitedAt) - (40 + Math.floor(rand() * 30)) * 60_000;
					progress.push({ visit_id: `${id}-v1`, travel_started_at: new Date(start).toISOString(), arrived_at: new Date(start + (8 + Math.floor(rand() * 35)) * 60_000).toISOString(), updated_at: visitedAt });
				}
				if (rand() < 0.6) reviews.push({ visit_id: `${id}-v1`, status: 'accepted', reason: null, reviewed_by: `${outlet.id}-head`, reviewed_at: visitedAt });
				if (rand() < 0.04) audit.push({ id: `${id}-a1`, at: visitedAt, actor_id: `${outlet.id}-head`, action: 'evidence_send_back', entity: 'visit', entity_id: `${id}-v1`, outlet_id: outlet.id, details: '{}' });
				if (outcome === 'not_home' && rand() < 0.5) {
					const again = addWorkingDays(visitDay, 2, cal);
					if (again <= o.today) {
						const reopenAt = shanghaiInstant(visitDay, '17:00');
						visits.push({ id: `${id}-v2`, request_id: id, outlet_id: outlet.id, date: again, window_start: '14:00', window_end: '16:00', lead_staff_id: lead, second_staff_id: second, status: 'visited', outcome: 'completed', outcome_note: null, visited_at: shanghaiInstant(again, '14:30'), created_at: reopenAt, updated_at: reopenAt });
						status = 'processed';
						decided = reopenAt;
					}
				}
			}
		}
		requests.push({
			id, ref: `${prefix}-${pad(n, 4)}`, community_id: c.id, outlet_id: outlet.id, resident_id: `${c.id}-r${Math.floor(rand() * residentsPerCommunity)}`, created_by: `${outlet.id}-head`,
			status, urgency: rand() < 0.15 ? 'urgent' : 'normal', services: JSON.stringify(services), windows: '[]', notes: '', consent_by: 'resident', consent_name: '本人', consent_relation: null,
			consent_version: 'v1', consent_hash: 'h', consent_at: createdAt, consent_recorded_by: `${outlet.id}-head`, decision_reason: null, created_at: createdAt, updated_at: createdAt, decided_at: decided
		});
	}
	await insertAll(db, 'requests', requests, 400);
	await insertAll(db, 'visits', visits, 500);
	await insertAll(db, 'visit_progress', progress, 500);
	await insertAll(db, 'evidence_reviews', reviews, 500);
	await insertAll(db, 'audit_log', audit, 500);
	Object.assign(counts, { requests: requests.length, visits: visits.length, visit_progress: progress.length, evidence_reviews: reviews.length, send_backs: audit.length });
	return { outletIds, counts };
}
