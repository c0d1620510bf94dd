import { describe, expect, it, vi } from 'vitest';
import { calendarFromDays, CN_DEFAULT_CALENDAR_DAYS } from '$lib/domain/calendar';
import { validateResidentId } from '$lib/domain/resident-id';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import { requestDeadline } from '$lib/domain/sla';
import { findPersonalNumbers } from '$lib/domain/personal-numbers';
import { REQUEST_STATUSES } from '$lib/domain/status';
import { dialectOf, openDatabase } from '$lib/server/db';
import { migrateToLatest } from '$lib/server/db/migrator';
import { DEMO_CREDENTIALS, seedIfEmpty } from '$lib/server/db/seed';
import { nextCounterValue } from '$lib/server/repos/counters';
import { countRequestsByStatus, listAllRequests } from '$lib/server/repos/requests';
import { countUsers, listUsers } from '$lib/server/repos/users';
import { DIALECTS, openTestDatabase, skipReason, useTestDatabase } from './test-db';

const count = async (db: Parameters<typeof countUsers>[0], table: 'users' | 'residents' | 'requests' | 'visits' | 'audit_log' | 'services' | 'calendar_days' | 'outlets' | 'communities') =>
	Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe.each(DIALECTS)('database on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}

	describe('migrations', () => {
		const t = useTestDatabase(dialect);

		it('detects the dialect', () => {
			expect(dialectOf(t.db)).toBe(dialect);
		});

		it('run again as a no-op, also through a second open', async () => {
			expect(await migrateToLatest(t.db)).toEqual([]);
			const again = await openDatabase(t.options);
			try {
				expect(await migrateToLatest(again)).toEqual([]);
				expect(await count(again, 'users')).toBe(0);
			} finally {
				await again.destroy();
			}
		});

		it('numbers references atomically per counter', async () => {
			const values = await Promise.all([1, 2, 3, 4].map(() => nextCounterValue(t.db, 'test:a')));
			expect(values.sort()).toEqual([1, 2, 3, 4]);
			expect(await nextCounterValue(t.db, 'test:b')).toBe(1);
		});

		it('numbers audit entries in insertion order', async () => {
			for (const action of ['a', 'b', 'c']) {
				await t.db.insertInto('audit_log').values({ id: `id-${action}`, at: new Date().toISOString(), actor_id: null, action, entity: 'test', entity_id: 'x', outlet_id: null, details: '{}' }).execute();
			}
			const rows = await t.db.selectFrom('audit_log').select(['seq', 'action']).where('entity', '=', 'test').orderBy('seq').execute();
			expect(rows.map((r) => r.action)).toEqual(['a', 'b', 'c']);
			expect(rows[0].seq).toBeLessThan(rows[2].seq);
		});
	});

	describe('demo seed', () => {
		const now = new Date();
		const t = useTestDatabase(dialect, async (db) => {
			vi.spyOn(console, 'log').mockImplementation(() => {});
			expect(await seedIfEmpty(db, { seedDemo: true, adminPassword: null }, now)).toBe('demo');
			vi.restoreAllMocks();
		});

		it('creates the promised outlets, communities, accounts and catalogue', async () => {
			expect(await count(t.db, 'outlets')).toBe(3);
			expect(await count(t.db, 'communities')).toBe(6);
			expect(await countUsers(t.db, { role: 'admin' })).toBe(1);
			expect(await countUsers(t.db, { role: 'outlet_head' })).toBe(3);
			expect(await countUsers(t.db, { role: 'field_staff' })).toBe(8);
			expect(await countUsers(t.db, { role: 'community_worker' })).toBe(6);
			expect(await count(t.db, 'services')).toBe(DEFAULT_SERVICES.length);
			expect(await count(t.db, 'calendar_days')).toBe(CN_DEFAULT_CALENDAR_DAYS.length);
			const usernames = (await listUsers(t.db)).map((u) => u.username).sort();
			const expected = [DEMO_CREDENTIALS.admin, ...DEMO_CREDENTIALS.heads, ...DEMO_CREDENTIALS.staff, ...DEMO_CREDENTIALS.workers].sort();
			expect(usernames).toEqual(expected);
			for (const head of await listUsers(t.db, { role: 'outlet_head' })) {
				expect((await listUsers(t.db, { role: 'field_staff', outletId: head.outletId! })).length).toBeGreaterThanOrEqual(2);
			}
		});

		it('creates 40 residents with valid Xiaoshan IDs born 1930–1955', async () => {
			const residents = await t.db.selectFrom('residents').select(['id_number', 'mobility', 'place_type', 'lat', 'lng']).execute();
			expect(residents).toHaveLength(40);
			for (const r of residents) {
				const id = validateResidentId(r.id_number);
				expect(id.ok, r.id_number).toBe(true);
				expect(r.id_number.slice(0, 6)).toBe('330109');
				const year = Number(r.id_number.slice(6, 10));
				expect(year).toBeGreaterThanOrEqual(1930);
				expect(year).toBeLessThanOrEqual(1955);
				expect(Math.abs(Number(r.lat) - 30.16)).toBeLessThan(0.1);
				expect(Math.abs(Number(r.lng) - 120.26)).toBeLessThan(0.1);
			}
			expect(new Set(residents.map((r) => r.mobility)).size).toBe(3);
			expect(new Set(residents.map((r) => r.place_type)).size).toBeGreaterThanOrEqual(3);
		});

		it('has requests in every status, some overdue, visits today and later, with audit trails', async () => {
			const counts = await countRequestsByStatus(t.db);
			for (const status of REQUEST_STATUSES) expect(counts[status] ?? 0, status).toBeGreaterThan(0);

			const requests = await listAllRequests(t.db, { limit: 1000 });
			const cal = calendarFromDays(CN_DEFAULT_CALENDAR_DAYS);
			const overdue = requests.filter((r) => {
				const d = requestDeadline(r, { decideDays: 1, visitDays: 5 }, cal);
				return r.status === 'submitted' && d !== null && d.deadline < now.toISOString();
			});
			expect(overdue.length).toBeGreaterThan(0);

			const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
			const scheduled = requests.filter((r) => r.scheduledVisit).map((r) => r.scheduledVisit!.date);
			expect(scheduled).toContain(today);
			expect(scheduled.some((d) => d > today)).toBe(true);
			expect(requests.every((r) => /^R\d{4}-\d{4}$/.test(r.ref))).toBe(true);

			const withoutAudit = await t.db
				.selectFrom('requests')
				.select('id')
				.where(({ not, exists, selectFrom }) =>
					not(exists(selectFrom('audit_log').select('seq').whereRef('audit_log.entity_id', '=', 'requests.id').where('audit_log.action', '=', 'submit')))
				)
				.execute();
			expect(withoutAudit).toEqual([]);
		});

		it('logs no ID or phone numbers in audit details', async () => {
			const details = await t.db.selectFrom('audit_log').select('details').execute();
			expect(details.length).toBeGreaterThan(0);
			for (const { details: text } of details) expect(findPersonalNumbers(text)).toEqual([]);
		});

		it('does nothing on a second start', async () => {
			const before = await count(t.db, 'requests');
			expect(await seedIfEmpty(t.db, { seedDemo: true, adminPassword: null })).toBe('unchanged');
			expect(await count(t.db, 'requests')).toBe(before);
		});
	});

	describe('without demo data', () => {
		it('creates the admin from ADMIN_PASSWORD, else explains how', async () => {
			const log = vi.spyOn(console, 'log').mockImplementation(() => {});
			const first = await openTestDatabase(dialect);
			try {
				expect(await seedIfEmpty(first.db, { seedDemo: false, adminPassword: null })).toBe('admin_missing');
				expect(log.mock.calls.flat().join(' ')).toContain('ADMIN_PASSWORD=');
				expect(await countUsers(first.db)).toBe(0);
				expect(await count(first.db, 'services')).toBe(DEFAULT_SERVICES.length);
				expect(await seedIfEmpty(first.db, { seedDemo: false, adminPassword: 'a long secret' })).toBe('admin_created');
				expect((await listUsers(first.db)).map((u) => [u.username, u.role])).toEqual([['admin', 'admin']]);
				expect(await count(first.db, 'requests')).toBe(0);
			} finally {
				log.mockRestore();
				await first.close();
			}
		});
	});
});
