import { recordAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getService, listServices, upsertService } from '$lib/server/repos/services';
import { AdminError, isUniqueViolation, notFound } from './errors';
import type { ServiceInput as ServiceCreateInput, ServiceEditInput } from '$lib/domain/schemas';

export async function createServiceAsAdmin(db: Db, actor: SessionUser, input: ServiceCreateInput): Promise<void> {
	try {
		await db.transaction().execute(async (trx) => {
			// upsertService would silently overwrite an existing entry: a new code must be new.
			if (await getService(trx, input.code)) throw new AdminError('admin_err_code_taken', 409, 'code');
			await upsertService(trx, input);
			await recordAudit(trx, { actorId: actor.id, action: 'service_create', entity: 'service', entityId: input.code, outletId: null, details: { durationMin: input.durationMin, requiredPhotos: input.requiredPhotos } });
		});
	} catch (err) {
		if (isUniqueViolation(err)) throw new AdminError('admin_err_code_taken', 409, 'code');
		throw err;
	}
}

export async function editService(db: Db, actor: SessionUser, code: string, input: ServiceEditInput): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const before = await getService(trx, code);
		if (!before) throw notFound();
		await upsertService(trx, { ...input, code });
		await recordAudit(trx, {
			actorId: actor.id,
			action: 'service_update',
			entity: 'service',
			entityId: code,
			outletId: null,
			details: { durationMin: [before.durationMin, input.durationMin], active: input.active, requiredPhotos: [before.requiredPhotos, input.requiredPhotos] }
		});
	});
}

export const servicesPageData = async (db: Db) => ({ services: await listServices(db) });
