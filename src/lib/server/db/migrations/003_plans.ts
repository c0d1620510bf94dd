import type { Kysely } from 'kysely';

/*
 * Published route plans (dispatch board): per scheduled visit, the team's planned order of the
 * day and the planned arrival. A table of its own rather than columns on `visits`, so publishing
 * a plan never bumps a visit's version or row content (which the field sync compares).
 * Portable types only, IF NOT EXISTS everywhere (see 001_initial for why).
 */

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('visit_plans')
		.ifNotExists()
		.addColumn('visit_id', 'text', (c) => c.primaryKey().references('visits.id'))
		.addColumn('outlet_id', 'text', (c) => c.notNull().references('outlets.id'))
		.addColumn('date', 'text', (c) => c.notNull())
		.addColumn('lead_staff_id', 'text', (c) => c.notNull())
		.addColumn('second_staff_id', 'text', (c) => c.notNull())
		// 1-based position in the team's route of the day
		.addColumn('planned_order', 'integer', (c) => c.notNull())
		// ISO-8601 UTC instant: when the team is expected at the door
		.addColumn('planned_arrival', 'text', (c) => c.notNull())
		.addColumn('published_at', 'text', (c) => c.notNull())
		.addColumn('published_by', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('idx_visit_plans_outlet_date').ifNotExists().on('visit_plans').columns(['outlet_id', 'date']).execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('visit_plans').ifExists().execute();
}
