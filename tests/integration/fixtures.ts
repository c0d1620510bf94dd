import type { Kysely } from 'kysely';
import { expect, vi } from 'vitest';
import { addDays, localDate } from '$lib/domain/calendar';
import { CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import { makeResidentId } from '$lib/domain/resident-id';
import type { Database } from '$lib/server/db';
import { seedIfEmpty } from '$lib/server/db/seed';
import { getUserByUsername } from '$lib/server/repos/users';
import type { Actor } from '$lib/server/workflow';
import type { SessionUser } from '$lib/server/auth/types';
import type { SubmitRequestInput } from '$lib/server/workflow/submit';
import type { VisitPlan } from '$lib/server/workflow/staffing';
import { WorkflowError } from '$lib/server/workflow/errors';

type Db = Kysely<Database>;

export async function seedDemo(db: Db): Promise<void> {
	const log = vi.spyOn(console, 'log').mockImplementation(() => {});
	await seedIfEmpty(db, { seedDemo: true, adminPassword: null });
	log.mockRestore();
}

/** The actor of a demo account (`head1`, `staff3`, `worker2`…). */
export async function actor(db: Db, username: string): Promise<Actor & { displayName: string }> {
	const user = await getUserByUsername(db, username);
	if (!user) throw new Error(`no demo user ${username}`);
	return { id: user.id, role: user.role, outletId: user.outletId, communityId: user.communityId, displayName: user.displayName };
}

/** A demo account as a signed-in session would carry it (sync and upload use cases take this). */
export async function sessionUserOf(db: Db, username: string): Promise<SessionUser> {
	const u = await getUserByUsername(db, username);
	if (!u) throw new Error(`no demo user ${username}`);
	return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, outletId: u.outletId, communityId: u.communityId };
}

export const today = () => localDate(new Date().toISOString());

let slotCounter = 0;
/**
 * A visit slot on a far-future day no demo visit uses, a new day per call, so tests never
 * collide with each other's bookings (err_staff_busy) unless they mean to.
 */
export function freshSlot(leadStaffId: string, secondStaffId: string): VisitPlan {
	slotCounter++;
	return { date: addDays(today(), 60 + slotCounter), start: '09:00', end: '10:00', leadStaffId, secondStaffId };
}

let residentCounter = 0;
/** Submit input for a brand-new resident with a valid, unique ID number. */
export function newRequestInput(overrides: Partial<SubmitRequestInput> = {}): SubmitRequestInput {
	residentCounter++;
	// A new sequence number per call: unique IDs, so no test reuses another's resident by accident.
	const seq = String(residentCounter * 2 + 1).padStart(3, '0');
	const birth = `19${40 + (residentCounter % 15)}-0${1 + (residentCounter % 9)}-1${residentCounter % 9}`;
	return {
		resident: {
			name: `测试老人${residentCounter}`,
			phone: `1380000${String(1000 + residentCounter).slice(-4)}`,
			idNumber: makeResidentId('330109', birth, seq),
			address: '杭州市萧山区城厢街道测试路 1 号',
			mobility: 'bedridden',
			placeType: 'home',
			contactName: '测试家属',
			contactPhone: '13900001111',
			contactRelation: '女儿'
		},
		services: ['pin_reset'],
		urgency: 'normal',
		windows: [{ date: addDays(today(), 3), start: '09:00', end: '11:00' }],
		notes: '测试',
		consent: { by: 'guardian', name: '测试家属', relation: '女儿', version: CURRENT_CONSENT_VERSION },
		...overrides
	};
}

const TABLES = ['requests', 'visits', 'audit_log', 'residents'] as const;

/** Row counts of the tables a use case writes; compare before/after a refused call. */
export async function rowCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
	const out = {} as Record<(typeof TABLES)[number], number>;
	for (const table of TABLES) {
		const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
		out[table] = Number(row.n);
	}
	return out;
}

/** Expects `work` to be refused with `code`/`status` and to leave every table unchanged. */
export async function expectRefused(db: Db, work: () => Promise<unknown>, code: string, status?: number): Promise<void> {
	const before = await rowCounts(db);
	const requestsBefore = await db.selectFrom('requests').selectAll().orderBy('id').execute();
	const error = await work().then(
		() => null,
		(err: unknown) => err
	);
	expect(error, `expected ${code}`).toBeInstanceOf(WorkflowError);
	expect((error as WorkflowError).code).toBe(code);
	if (status) expect((error as WorkflowError).status).toBe(status);
	expect(await rowCounts(db)).toEqual(before);
	expect(await db.selectFrom('requests').selectAll().orderBy('id').execute()).toEqual(requestsBefore);
}
