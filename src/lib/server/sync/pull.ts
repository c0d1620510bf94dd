import { DEFAULT_SERVICES } from '$lib/domain/services';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { listServices } from '$lib/server/repos/services';
import type { PullResponse, SyncService } from '$lib/client/sync/protocol';
import { inTransaction } from '$lib/server/workflow/context';
import { decodeCursor, encodeCursor, fingerprint } from './cursor';
import { listSyncVisits } from './field-visits';
import { readLockIdleMinutes } from '$lib/server/security/lock-policy';
import { config } from '$lib/server/config';
import { FIELD_NOTICE_CODES, isFieldNoticeCode } from '$lib/domain/notifications';
import type { FieldNotice } from '$lib/client/sync/protocol';
import { listNotifications } from '$lib/server/notify/store';

/** Notices older than this are not sent any more (the changed visit list tells the rest). */
export const NOTICE_WINDOW_MS = 3 * 24 * 3_600_000;

async function fieldNotices(db: Db, userId: string, now: Date): Promise<FieldNotice[]> {
	const since = new Date(now.getTime() - NOTICE_WINDOW_MS).toISOString();
	const rows = await listNotifications(db, userId, { codes: FIELD_NOTICE_CODES, since });
	return rows.filter((n) => isFieldNoticeCode(n.code)).map((n) => ({ id: n.id, code: n.code as FieldNotice['code'], params: n.params, visitId: n.entity === 'visit' ? n.entityId : null, createdAt: n.createdAt }));
}

/** The catalogue with the checklists of the default services (both languages: offline switch). */
export async function syncServices(db: Db): Promise<SyncService[]> {
	const checklists = new Map(DEFAULT_SERVICES.map((s) => [s.code, s.checklist]));
	return (await listServices(db)).map((s) => ({
		code: s.code,
		nameZh: s.nameZh,
		nameEn: s.nameEn,
		durationMin: s.durationMin,
		checklist: checklists.get(s.code) ?? [],
		requiredPhotos: s.requiredPhotos
	}));
}

/**
 * What changed for this user since `cursor`: new and changed visits, withdrawn visit ids, the
 * catalogue if it changed, and the next cursor. An unknown cursor answers everything with
 * `reset: true`. Reads in one transaction so visits and progress are one consistent picture.
 */
export async function pullChanges(db: Db, user: SessionUser, cursor: string | null, now: Date = new Date()): Promise<PullResponse> {
	const previous = decodeCursor(cursor);
	const { visits, services, lockIdleMinutes, notices } = await inTransaction(db, async (tx) => ({
		visits: await listSyncVisits(tx, user, now),
		services: await syncServices(tx),
		lockIdleMinutes: await readLockIdleMinutes(tx),
		notices: user.role === 'field_staff' ? await fieldNotices(tx, user.id, now) : []
	}));
	const seen = new Set(previous?.notices ?? []);

	const sent: Record<string, string> = {};
	const changed = visits.filter((visit) => {
		sent[visit.id] = fingerprint(visit);
		return previous?.visits[visit.id] !== sent[visit.id];
	});
	const withdrawn = previous ? Object.keys(previous.visits).filter((id) => !(id in sent)) : [];
	const servicesFp = fingerprint(services);

	return {
		cursor: encodeCursor({ visits: sent, services: servicesFp, notices: notices.map((n) => n.id) }),
		visits: changed,
		withdrawn,
		services: previous?.services === servicesFp ? null : services,
		reset: previous === null,
		serverTime: now.toISOString(),
		policy: { lockIdleMinutes, checkInMaxDistanceM: config().checkInMaxDistanceM },
		notices: notices.filter((n) => !seen.has(n.id))
	};
}
