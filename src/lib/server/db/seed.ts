import { hash } from '@node-rs/argon2';
import { CN_DEFAULT_CALENDAR_DAYS } from '$lib/domain/calendar';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import type { AppConfig } from '$lib/server/config';
import { upsertCalendarDay } from '$lib/server/repos/calendar';
import type { Db } from '$lib/server/repos/common';
import { createBranch, listBranches } from '$lib/server/repos/outlets';
import { listServices, upsertService } from '$lib/server/repos/services';
import { countUsers, createUser } from '$lib/server/repos/users';
import { inTransaction } from '$lib/server/workflow/context';
import { seedDemoData } from './seed-demo';
import { DEMO_BRANCH_NAME } from './seed-data';

/**
 * The documented demo accounts (README, e2e tests). One password for all of them; it only
 * exists on databases seeded with SEED_DEMO (the default), never in production data.
 */
export const DEMO_PASSWORD = 'Doorstep-2026';
export const DEMO_CREDENTIALS = {
	password: DEMO_PASSWORD,
	admin: 'admin',
	heads: ['head1', 'head2', 'head3'],
	staff: ['staff1', 'staff2', 'staff3', 'staff4', 'staff5', 'staff6', 'staff7', 'staff8'],
	workers: ['worker1', 'worker2', 'worker3', 'worker4', 'worker5', 'worker6']
} as const;

export type SeedConfig = Pick<AppConfig, 'seedDemo' | 'adminPassword'>;
export type SeedOutcome = 'demo' | 'admin_created' | 'admin_missing' | 'unchanged';

/** What every install needs: a branch, the service catalogue and the holiday calendar. */
async function seedReferenceData(db: Db): Promise<void> {
	if ((await listBranches(db)).length === 0) await createBranch(db, DEMO_BRANCH_NAME);
	if ((await listServices(db)).length === 0) {
		for (const [i, s] of DEFAULT_SERVICES.entries()) {
			await upsertService(db, { code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, durationMin: s.durationMin, active: true, sort: (i + 1) * 10, requiredPhotos: s.requiredPhotos });
		}
	}
	const calendarEmpty = !(await db.selectFrom('calendar_days').select('date').limit(1).executeTakeFirst());
	if (calendarEmpty) for (const day of CN_DEFAULT_CALENDAR_DAYS) await upsertCalendarDay(db, day);
}

/**
 * Runs at start after migrations. An empty database with `seedDemo` gets the demo data set
 * (everything in one transaction: a crash leaves an empty database, not half a demo).
 * Without demo data, the first admin comes from ADMIN_PASSWORD, or the log says how to set it.
 */
export async function seedIfEmpty(db: Db, config: SeedConfig, now: Date = new Date()): Promise<SeedOutcome> {
	const empty = (await countUsers(db)) === 0;
	if (empty && config.seedDemo) {
		// Hash once (argon2 is deliberately slow) and outside the transaction, so SQLite's single
		// connection is not held while hashing.
		const passwordHash = await hash(DEMO_PASSWORD);
		const summary = await inTransaction(db, async (tx) => {
			await seedReferenceData(tx);
			return seedDemoData(tx, passwordHash, now);
		});
		console.log(
			`[doorstep] Demo data created: ${summary.outlets} outlets, ${summary.communities} communities, ` +
				`${summary.users} accounts, ${summary.residents} residents, ${summary.requests} requests. ` +
				`Sign in as admin, head1–3, staff1–8 or worker1–6 with the demo password (see README).`
		);
		return 'demo';
	}

	await inTransaction(db, (tx) => seedReferenceData(tx));
	if ((await countUsers(db, { role: 'admin' })) > 0) return 'unchanged';
	if (config.adminPassword) {
		const passwordHash = await hash(config.adminPassword);
		await createUser(db, { username: 'admin', displayName: '管理员', passwordHash, role: 'admin' }, now);
		console.log('[doorstep] Created the administrator account "admin" from ADMIN_PASSWORD.');
		return 'admin_created';
	}
	console.log(
		'[doorstep] No administrator account exists and demo data is off (SEED_DEMO=0). ' +
			'Create one by starting once with a password: ADMIN_PASSWORD=… npm start'
	);
	return 'admin_missing';
}
