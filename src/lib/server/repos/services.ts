import { isPhotoKind, type PhotoKind } from '$lib/domain/photos';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import type { ServiceRow } from '$lib/server/db/schema';
import { fromBool, parseJsonList, toBool, type Db } from './common';

/** One entry of the service catalogue (social-security card activation, PIN reset…). */
export interface Service {
	code: string;
	nameZh: string;
	nameEn: string;
	durationMin: number;
	active: boolean;
	sort: number;
	/** Photo kinds a visit with this service must have before it can be completed. */
	requiredPhotos: PhotoKind[];
}

/** What a write gives: without `requiredPhotos` a new entry takes the default catalogue's (by code) and an existing one keeps its own. */
export type ServiceInput = Omit<Service, 'requiredPhotos'> & { requiredPhotos?: PhotoKind[] };

const defaultRequiredPhotos = (code: string): PhotoKind[] => DEFAULT_SERVICES.find((s) => s.code === code)?.requiredPhotos ?? [];

function toService(row: ServiceRow): Service {
	return {
		code: row.code,
		nameZh: row.name_zh,
		nameEn: row.name_en,
		durationMin: row.duration_min,
		active: toBool(row.active),
		sort: row.sort,
		requiredPhotos: parseJsonList<string>(row.required_photos).filter(isPhotoKind)
	};
}

export async function listServices(db: Db, opts: { activeOnly?: boolean } = {}): Promise<Service[]> {
	let query = db.selectFrom('services').selectAll().orderBy('sort').orderBy('code');
	if (opts.activeOnly) query = query.where('active', '=', 1);
	return (await query.execute()).map(toService);
}

export async function getService(db: Db, code: string): Promise<Service | null> {
	const row = await db.selectFrom('services').selectAll().where('code', '=', code).executeTakeFirst();
	return row ? toService(row) : null;
}

/** Creates or replaces a catalogue entry by its code. */
export async function upsertService(db: Db, service: ServiceInput): Promise<void> {
	const requiredPhotos = service.requiredPhotos && JSON.stringify(service.requiredPhotos);
	const values = {
		code: service.code,
		name_zh: service.nameZh,
		name_en: service.nameEn,
		duration_min: service.durationMin,
		active: fromBool(service.active),
		sort: service.sort
	};
	await db
		.insertInto('services')
		.values({ ...values, required_photos: requiredPhotos ?? JSON.stringify(defaultRequiredPhotos(service.code)) })
		.onConflict((oc) =>
			oc.column('code').doUpdateSet({
				name_zh: values.name_zh,
				name_en: values.name_en,
				duration_min: values.duration_min,
				active: values.active,
				sort: values.sort,
				...(requiredPhotos ? { required_photos: requiredPhotos } : {})
			})
		)
		.execute();
}

/** Services are retired, never deleted: old requests still name them. */
export async function setServiceActive(db: Db, code: string, active: boolean): Promise<boolean> {
	const result = await db
		.updateTable('services')
		.set({ active: fromBool(active) })
		.where('code', '=', code)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
