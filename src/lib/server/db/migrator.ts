import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/001_initial';
import * as m002 from './migrations/002_sync';
import * as m003 from './migrations/003_plans';
import * as m004 from './migrations/004_photos';
import * as m005a from './migrations/005_audit_chain';
import * as m005s from './migrations/005_session_rotation';
import * as m006 from './migrations/006_evidence_review';
import * as m007d from './migrations/007_device_secrets';
import * as m008 from './migrations/008_settings';
import * as m009 from './migrations/009_photo_deletions';
import * as m012 from './migrations/012_checkin_reason';
import * as m014 from './migrations/014_report_indexes';
import * as m015 from './migrations/015_notifications';
import * as m016 from './migrations/016_scale_out';

/*
 * Migrations are imported, not discovered on disk: the production server is a Vite bundle,
 * so a folder scan would find nothing. Add each new migration here, named in sort order.
 */
const MIGRATIONS: Record<string, Migration> = {
	'001_initial': m001,
	'002_sync': m002,
	'003_plans': m003,
	'004_photos': m004,
	'005_audit_chain': m005a,
	'005_session_rotation': m005s,
	'006_evidence_review': m006,
	'007_device_secrets': m007d,
	'008_settings': m008,
	'009_photo_deletions': m009,
	'012_checkin_reason': m012,
	'014_report_indexes': m014,
	'015_notifications': m015,
	'016_scale_out': m016
};

const provider: MigrationProvider = {
	async getMigrations() {
		return MIGRATIONS;
	}
};

/** Applies every pending migration; a no-op on an up-to-date database. Throws on failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
	// Unordered: migrations written in parallel branches (004, 005, 006…) may reach a database
	// in any order; each one is independent and idempotent (IF NOT EXISTS).
	const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
	const { error, results } = await migrator.migrateToLatest();
	const failed = results?.find((r) => r.status === 'Error');
	if (error || failed) {
		const name = failed ? ` (${failed.migrationName})` : '';
		throw new Error(`Database migration failed${name}: ${String(error)}`, { cause: error });
	}
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
