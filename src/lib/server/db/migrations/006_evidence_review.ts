import type { Kysely } from 'kysely';

/*
 * The outlet head's review of a visit's evidence (photos, signature, times and positions):
 * accepted, or sent back to the team with a reason. One row per reviewed visit, latest decision
 * only (every decision is also in the audit log). A table of its own, like visit_plans, so a
 * review never bumps the visit's version, which the field sync uses for the team's mutations.
 * Portable types only, IF NOT EXISTS everywhere (see 001_initial for why).
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('evidence_reviews')
		.ifNotExists()
		.addColumn('visit_id', 'text', (c) => c.primaryKey().references('visits.id'))
		// accepted | sent_back
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('reason', 'text')
		.addColumn('reviewed_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('reviewed_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('evidence_reviews').ifExists().execute();
}
