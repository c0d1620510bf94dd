/*
 * The field tablet's store (IndexedDB through Dexie). One database PER SIGNED-IN USER, named
 * with the user id, so on a shared tablet user B never opens user A's visits or unsynced work.
 *
 * Tables hold the server's field view (visits, residents, catalogue), the team's drafts, the
 * outbox of mutations and the sync state. Bump the version with a new `stores()` (and an
 * `upgrade()` when rows must change) for every schema change; never edit a released version.
 *
 * Encryption at rest (issue 6): the database opens only with the unlocked data key. Rows of the
 * tables in SEALED_TABLES are sealed by the middleware in db-sealing.ts (only the listed index
 * fields stay readable); photo bytes live sealed in `photoBytes` (photos/bytes.ts). The catalogue
 * (`services`) and the sync bookkeeping (`syncState`) hold no personal data and stay plain.
 */
import Dexie, { type Table } from 'dexie';
import type { DataKeys } from './crypto/data-keys';
import type { SealedBlob } from './crypto/cipher';
import { sealingMiddleware, type ClearFields } from './db-sealing';
import { WrongKeyError } from './crypto/row-cipher';
import type { ResidentView } from '$lib/domain/privacy';
import type { VisitOutcome } from '$lib/domain/status';
import type { ConsentRecord, DeviceRevocation, FieldNotice, MutationType, PayloadByType, ServiceOutcome, SyncService, SyncVisit } from './sync/protocol';
import type { PhotoKind, PhotoReceipt } from '$lib/domain/photos';

/** A visit as the server last sent it, the resident kept in `residents`. */
export interface LocalVisit extends Omit<SyncVisit, 'resident'> {
	residentId: string | null;
	/** Set when a pull withdrew the visit while unsynced work for it remained. */
	withdrawnAt: string | null;
	receivedAt: string;
}

export type LocalResident = ResidentView;

/** A notice from a pull (issue 15), shown until the user dismisses it. */
export interface LocalNotice extends FieldNotice {
	dismissedAt: string | null;
}
export type LocalService = SyncService;

export const VISIT_STEPS = ['not_started', 'travelling', 'arrived', 'in_progress', 'completed'] as const;
export type VisitStep = (typeof VISIT_STEPS)[number];

/** What the team has done at a visit on this tablet (written by the UI through visit-actions). */
export interface VisitDraft {
	visitId: string;
	step: VisitStep;
	travelStartedAt: string | null;
	arrival: { at: string; lat: number; lng: number; accuracyM: number; distanceM: number | null; farReason?: string | null } | null;
	/** Service code → ticked checklist item indices. */
	checklist: Record<string, number[]>;
	serviceOutcomes: Record<string, { outcome: ServiceOutcome; note: string | null }>;
	outcome: VisitOutcome | null;
	note: string;
	consent: ConsentRecord | null;
	confirmedBy: string[];
	completedAt: string | null;
	updatedAt: string;
}

export type OutboxStatus = 'pending' | 'rejected';

export interface Rejection {
	reason: string;
	at: string;
	/** The server's visit when it refused (null: not the user's any more, or unknown). */
	server: SyncVisit | null;
}

/** A mutation waiting for the server, or refused by it and waiting for the user. */
export interface OutboxEntry<T extends MutationType = MutationType> {
	/** Local order: push order. */
	seq?: number;
	id: string;
	type: T;
	entityId: string;
	baseVersion: number;
	payload: PayloadByType[T];
	createdAt: string;
	/** Registered device id; '' when created before registration (stamped at push). */
	deviceId: string;
	status: OutboxStatus;
	attempts: number;
	lastAttemptAt: string | null;
	rejection: Rejection | null;
	/** Ids this entry had before it was rebased and retried (audit trail on the device). */
	supersedes: string[];
}

export interface SyncStateRow {
	key: 'sync';
	deviceId: string | null;
	cursor: string | null;
	lastSuccessAt: string | null;
	lastError: string | null;
	lastAttemptAt: string | null;
	/** Set when the admin revoked this tablet (kept so a restart goes on handing over and wiping). */
	revoked?: DeviceRevocation | null;
	/** The administrator's idle-lock time as of the last pull (absent: the built-in default). */
	lockIdleMinutes?: number;
	/** Check-ins further than this from the pin ask for a reason (metres; absent: the default). */
	checkInMaxDistanceM?: number;
	/** Visit id → when the server last applied one of its mutations from here (visit-sync.ts). */
	visitAppliedAt?: Record<string, string>;
}

export type PhotoStatus = 'queued' | 'uploading' | 'uploaded' | 'refused';

/**
 * An identity-verification photo taken on this tablet (see lib/client/photos). Its bytes (the
 * final JPEG: scaled, watermarked, no camera metadata) are in `photoBytes` while `hasBytes`;
 * they go only through the retention rule (photos/retention.ts), after the server's receipt and
 * the visit's sync.
 */
export interface LocalPhoto {
	id: string;
	visitId: string;
	kind: PhotoKind;
	hasBytes: boolean;
	sha256: string;
	bytes: number;
	width: number;
	height: number;
	takenAt: string;
	position: { lat: number; lng: number; accuracyM: number } | null;
	status: PhotoStatus;
	attempts: number;
	/** Epoch ms before which the queue does not try again (0: at once). */
	nextAttemptAt: number;
	/** Message code of the last failure (`photo_err_<code>`, `sync_err_network`…), null after success. */
	lastError: string | null;
	receipt: PhotoReceipt | null;
}

/** A photo's JPEG, sealed with WebCrypto (large: kept apart from the photo's small row). */
export interface PhotoBytesRow {
	id: string;
	sealed: SealedBlob;
}

/** A photo row as version 2 stored it (bytes inline, in the clear): only the migration reads it. */
type LegacyPhotoRow = Omit<LocalPhoto, 'hasBytes'> & { blob?: Blob | null; hasBytes?: boolean };
/** Version 3 moves version 2's plain photo bytes here; sealed after the open (photos/bytes.ts). */
export interface LegacyPhotoBytesRow {
	id: string;
	blob: Blob;
}

/** Per sealed table, the fields stored readable: the indexed ones and nothing personal. */
export const SEALED_TABLES: ClearFields = {
	visits: ['id', 'date', 'requestId'],
	residents: ['id'],
	drafts: ['visitId'],
	outbox: ['seq', 'id', 'entityId', 'status'],
	// A photo row's only personal field is where it was taken (the resident's home); kind, hash,
	// size and upload state are not personal and stay readable. Its bytes are in photoBytes.
	photos: ['id', 'visitId', 'status', 'kind', 'hasBytes', 'sha256', 'bytes', 'width', 'height', 'takenAt', 'attempts', 'nextAttemptAt', 'lastError', 'receipt'],
	// A notice names a visit's ref and slot (and a head's reason): sealed like the visits.
	notices: ['id', 'createdAt', 'dismissedAt']
};

export class DoorstepDb extends Dexie {
	declare visits: Table<LocalVisit, string>;
	declare residents: Table<LocalResident, string>;
	declare services: Table<LocalService, string>;
	declare drafts: Table<VisitDraft, string>;
	declare outbox: Table<OutboxEntry, number>;
	declare syncState: Table<SyncStateRow, string>;
	declare photos: Table<LocalPhoto, string>;
	declare photoBytes: Table<PhotoBytesRow, string>;
	/** Empty but for the moment between the version-3 upgrade and sealLegacyPhotoBytes. */
	declare legacyPhotoBytes: Table<LegacyPhotoBytesRow, string>;
	declare notices: Table<LocalNotice, string>;

	readonly userId: string;
	/** The unlocked data key (forgotten at lock: every read and write then fails). */
	readonly keys: DataKeys;

	constructor(userId: string, keys: DataKeys, options?: ConstructorParameters<typeof Dexie>[1]) {
		super(userDbName(userId), options);
		this.userId = userId;
		this.keys = keys;
		this.use(sealingMiddleware(keys.rows, SEALED_TABLES));
		this.version(1).stores({
			visits: 'id, date, requestId',
			residents: 'id',
			services: 'code',
			drafts: 'visitId',
			outbox: '++seq, &id, entityId, status',
			syncState: 'key'
		});
		// Identity-verification photos (issue 4): a new table, no existing row changes.
		this.version(2).stores({ photos: 'id, visitId, status' });
		// Encryption at rest (issue 6): the first unlock after the update seals every existing row
		// (read through the middleware as they are, written back sealed) and moves photo bytes out
		// of the photo rows; those are sealed right after the open (sealLegacyPhotoBytes).
		this.version(3)
			.stores({ photoBytes: 'id', legacyPhotoBytes: 'id' })
			.upgrade(async (tx) => {
				for (const name of ['visits', 'residents', 'drafts', 'outbox'] as const) {
					const table = tx.table(name);
					await table.bulkPut(await table.toArray());
				}
				const photos = tx.table<LegacyPhotoRow, string>('photos');
				for (const { blob, ...row } of await photos.toArray()) {
					if (blob) await tx.table('legacyPhotoBytes').put({ id: row.id, blob } satisfies LegacyPhotoBytesRow);
					await photos.put({ ...row, hasBytes: row.hasBytes ?? !!blob } as LegacyPhotoRow);
				}
			});
		// Field notices (issue 15): a new table, no existing row changes.
		this.version(4).stores({ notices: 'id, createdAt' });
	}
}

/** The database name of a user: the id is what separates users on a shared tablet. */
export function userDbName(userId: string): string {
	if (!userId) throw new Error('user id required');
	return `doorstep-field-${userId}`;
}

let current: DoorstepDb | null = null;

/**
 * Opens the signed-in user's database with the unlocked data key (closing another first). A
 * store sealed under another key — its key's wrappings went with the browser's site data — can
 * be read by no one any more: it is deleted and a new one begins (the next sync refills it).
 */
export async function openUserDb(userId: string, keys: DataKeys): Promise<DoorstepDb> {
	if (current?.userId === userId && current.keys === keys && current.isOpen()) return current;
	closeUserDb();
	let db = new DoorstepDb(userId, keys);
	await db.open();
	if (!(await opensWithKey(db))) {
		db.close();
		await Dexie.delete(userDbName(userId));
		db = new DoorstepDb(userId, keys);
		await db.open();
	}
	current = db;
	return db;
}

/** Whether the store's sealed rows open with its key (one row of each sealed table is enough). */
async function opensWithKey(db: DoorstepDb): Promise<boolean> {
	try {
		for (const name of Object.keys(SEALED_TABLES)) await db.table(name).limit(1).toArray();
		return true;
	} catch (err) {
		const wrongKey = (e: unknown): boolean => e instanceof WrongKeyError || (typeof e === 'object' && e !== null && wrongKey((e as { inner?: unknown }).inner));
		if (wrongKey(err)) return false;
		throw err;
	}
}

/** Closes the open database, e.g. at sign-out (the data stays for the user's next sign-in). */
export function closeUserDb(): void {
	current?.close();
	current = null;
}

/** Removes a user's database from this tablet (the UI must check the outbox is empty first). */
export async function deleteUserDb(userId: string): Promise<void> {
	if (current?.userId === userId) closeUserDb();
	await Dexie.delete(userDbName(userId));
}

// In their own module (no Dexie import), so that pages can use them without loading Dexie.
export { readSyncState, writeSyncState } from './sync-state';

/** A visit with its resident, as the visit page shows it. */
export async function getVisitWithResident(db: DoorstepDb, visitId: string): Promise<(LocalVisit & { resident: LocalResident | null }) | null> {
	const visit = await db.visits.get(visitId);
	if (!visit) return null;
	const resident = visit.residentId ? ((await db.residents.get(visit.residentId)) ?? null) : null;
	return { ...visit, resident };
}
