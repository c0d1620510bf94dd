import type { VisitProgressRow } from '$lib/server/db/schema';
import type { Db } from '$lib/server/repos/common';
import type { ConsentBy } from '$lib/domain/consent';
import { EMPTY_PROGRESS, toServerProgress, type ProgressState } from './progress-merge';
import type { ServerProgress } from '$lib/client/sync/protocol';

/** The stored progress of a visit and its version (0 when nothing was recorded yet). */
export interface StoredProgress {
	state: ProgressState;
	version: number;
}

function parseJson<T>(text: string | null, fallback: T): T {
	try {
		return text ? (JSON.parse(text) as T) : fallback;
	} catch {
		return fallback;
	}
}

function toState(row: VisitProgressRow): ProgressState {
	const hasArrival = row.arrival_lat !== null && row.arrival_lng !== null;
	return {
		travelStartedAt: row.travel_started_at,
		arrivedAt: row.arrived_at,
		arrival: hasArrival
			? {
					lat: Number(row.arrival_lat),
					lng: Number(row.arrival_lng),
					accuracyM: Number(row.arrival_accuracy_m ?? 0),
					distanceM: row.arrival_distance_m === null ? null : Number(row.arrival_distance_m),
					farReason: row.arrival_far_reason ?? null
				}
			: null,
		checklist: parseJson(row.checklist, {}),
		serviceOutcomes: parseJson(row.service_outcomes, {}),
		consent:
			row.consent_by && row.consent_signature
				? {
						consentBy: row.consent_by as ConsentBy,
						name: row.consent_name ?? '',
						relation: row.consent_relation,
						consentVersion: row.consent_version ?? '',
						consentHash: row.consent_hash ?? '',
						signature: row.consent_signature,
						signedAt: row.consent_signed_at ?? ''
					}
				: null,
		confirmedBy: parseJson(row.confirmed_by, []),
		completedBy: row.completed_by,
		photos: parseJson(row.photo_manifest, [])
	};
}

export async function loadProgress(db: Db, visitId: string): Promise<StoredProgress> {
	const row = await db.selectFrom('visit_progress').selectAll().where('visit_id', '=', visitId).executeTakeFirst();
	return row ? { state: toState(row), version: row.version } : { state: EMPTY_PROGRESS, version: 0 };
}

/** Wire progress of many visits at once (pull): visitId → progress. */
export async function loadServerProgress(db: Db, visitIds: string[]): Promise<Map<string, ServerProgress>> {
	const out = new Map<string, ServerProgress>();
	if (visitIds.length === 0) return out;
	const rows = await db.selectFrom('visit_progress').selectAll().where('visit_id', 'in', visitIds).execute();
	for (const row of rows) out.set(row.visit_id, toServerProgress(toState(row), row.version));
	return out;
}

function columns(state: ProgressState) {
	return {
		travel_started_at: state.travelStartedAt,
		arrived_at: state.arrivedAt,
		arrival_lat: state.arrival?.lat ?? null,
		arrival_lng: state.arrival?.lng ?? null,
		arrival_accuracy_m: state.arrival?.accuracyM ?? null,
		arrival_distance_m: state.arrival?.distanceM ?? null,
		arrival_far_reason: state.arrival?.farReason ?? null,
		checklist: JSON.stringify(state.checklist),
		service_outcomes: JSON.stringify(state.serviceOutcomes),
		consent_by: state.consent?.consentBy ?? null,
		consent_name: state.consent?.name ?? null,
		consent_relation: state.consent?.relation ?? null,
		consent_version: state.consent?.consentVersion ?? null,
		consent_hash: state.consent?.consentHash ?? null,
		consent_signature: state.consent?.signature ?? null,
		consent_signed_at: state.consent?.signedAt ?? null,
		confirmed_by: JSON.stringify(state.confirmedBy),
		completed_by: state.completedBy,
		photo_manifest: JSON.stringify(state.photos)
	};
}

/**
 * Writes the progress guarded by the version read in this transaction (0 = not stored yet).
 * Returns the new version, or null when another writer got there first (the caller retries
 * the whole mutation, which re-reads and re-merges).
 */
export async function saveProgress(
	db: Db,
	visitId: string,
	expectedVersion: number,
	state: ProgressState,
	userId: string,
	now: Date
): Promise<number | null> {
	const at = now.toISOString();
	if (expectedVersion === 0) {
		await db
			.insertInto('visit_progress')
			.values({ visit_id: visitId, version: 1, ...columns(state), updated_at: at, updated_by: userId })
			.execute();
		return 1;
	}
	const result = await db
		.updateTable('visit_progress')
		.set((eb) => ({ ...columns(state), updated_at: at, updated_by: userId, version: eb('version', '+', 1) }))
		.where('visit_id', '=', visitId)
		.where('version', '=', expectedVersion)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? expectedVersion + 1 : null;
}

/** Where a handler reads and writes progress: the database, or a batch's memory (./batch.ts). */
export interface ProgressStore {
	load(visitId: string): Promise<StoredProgress>;
	save(visitId: string, expectedVersion: number, state: ProgressState, userId: string, now: Date): Promise<number | null>;
}

export const databaseProgress = (db: Db): ProgressStore => ({
	load: (visitId) => loadProgress(db, visitId),
	save: (visitId, expectedVersion, state, userId, now) => saveProgress(db, visitId, expectedVersion, state, userId, now)
});
