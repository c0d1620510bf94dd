import type { Kysely } from 'kysely';
import { DEFAULT_SERVICES } from '../../../domain/services';

/*
 * Identity-verification photos (issue 4): one row per photo the server holds (its bytes live in
 * the photo storage under their SHA-256, src/lib/server/photos/storage.ts), the photo kinds each
 * service requires, and the manifest of photos the tablet listed when it completed a visit.
 * Portable types only and safe to run again after a crash half-way (see 001_initial for why):
 * IF NOT EXISTS for tables and indexes, a column check before each ALTER TABLE.
 */

type AnyDb = Kysely<any>;

async function hasColumn(db: AnyDb, table: string, column: string): Promise<boolean> {
	const tables = await db.introspection.getTables();
	return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

async function addJsonColumn(db: AnyDb, table: string, column: string): Promise<void> {
	if (await hasColumn(db, table, column)) return;
	await db.schema
		.alterTable(table)
		.addColumn(column, 'text', (c) => c.notNull().defaultTo('[]'))
		.execute();
}

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('photos')
		.ifNotExists()
		// The tablet's UUID: the idempotency key of the upload.
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('visit_id', 'text', (c) => c.notNull().references('visits.id'))
		.addColumn('request_id', 'text', (c) => c.references('requests.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		// Lower-case hex; also the storage key (content-addressed: the same bytes are stored once)
		.addColumn('sha256', 'text', (c) => c.notNull())
		.addColumn('bytes', 'integer', (c) => c.notNull())
		.addColumn('width', 'integer', (c) => c.notNull())
		.addColumn('height', 'integer', (c) => c.notNull())
		.addColumn('taken_at', 'text', (c) => c.notNull())
		.addColumn('lat', 'double precision')
		.addColumn('lng', 'double precision')
		.addColumn('accuracy_m', 'double precision')
		.addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('received_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('idx_photos_visit').ifNotExists().on('photos').columns(['visit_id', 'taken_at']).execute();

	// JSON text: photo kinds (lib/domain/services.ts PHOTO_KINDS) a visit with this service needs.
	await addJsonColumn(db, 'services', 'required_photos');
	// Existing catalogues get the default requirements by code; a service the admin added keeps
	// '[]'. Only rows still at the default are touched, so a re-run changes nothing.
	for (const s of DEFAULT_SERVICES) {
		await db
			.updateTable('services')
			.set({ required_photos: JSON.stringify(s.requiredPhotos) })
			.where('code', '=', s.code)
			.where('required_photos', '=', '[]')
			.execute();
	}

	// JSON text: PhotoManifestEntry[] the tablet sent with the visit's completion.
	await addJsonColumn(db, 'visit_progress', 'photo_manifest');
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('photos').ifExists().execute();
	if (await hasColumn(db, 'services', 'required_photos')) await db.schema.alterTable('services').dropColumn('required_photos').execute();
	if (await hasColumn(db, 'visit_progress', 'photo_manifest')) await db.schema.alterTable('visit_progress').dropColumn('photo_manifest').execute();
}
