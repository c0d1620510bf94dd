/*
 * Visit progress: what the team records on the way to an outcome. Pure merge rules, so that two
 * tablets of the same team (both may work offline) can send their steps in any order and the
 * server ends in the same state whatever the order (docs/sync-protocol.md, "Merging progress"):
 *
 * - travel started, arrived: the EARLIEST report wins (both staff set off and arrive together;
 *   the first fact is the one that matters, the other is still in the audit log);
 * - checklist ticks and per-service outcomes: per service, the LATEST `at` wins (a whole set is
 *   sent each time, so a later untick is kept; ties go to the later-applied mutation);
 * - consent, confirmations, completedBy: written once by the completion that the state machine
 *   accepts (a second completion is refused before it gets here).
 */
import type { PhotoManifestEntry } from '$lib/domain/photos';
import type {
	ArrivePayload,
	ChecklistPayload,
	CompletePayload,
	ServerProgress,
	ServiceOutcome,
	ServiceOutcomePayload,
	StartTravelPayload
} from '$lib/client/sync/protocol';

export interface ProgressState {
	travelStartedAt: string | null;
	arrivedAt: string | null;
	arrival: { lat: number; lng: number; accuracyM: number; distanceM: number | null; farReason: string | null } | null;
	checklist: Record<string, { ticked: number[]; at: string; by: string }>;
	serviceOutcomes: Record<string, { outcome: ServiceOutcome; note: string | null; at: string; by: string }>;
	consent: CompletePayload['consent'];
	confirmedBy: string[];
	completedBy: string | null;
	/** The photos the tablet listed with the completion (their bytes arrive by PUT /api/photos). */
	photos: PhotoManifestEntry[];
}

export const EMPTY_PROGRESS: ProgressState = {
	travelStartedAt: null,
	arrivedAt: null,
	arrival: null,
	checklist: {},
	serviceOutcomes: {},
	consent: null,
	confirmedBy: [],
	completedBy: null,
	photos: []
};

/** ISO-8601 UTC strings of the same format compare correctly as text; normalise to be sure. */
const iso = (at: string): string => new Date(at).toISOString();
const earlier = (a: string | null, b: string): boolean => a === null || iso(b) < iso(a);
const notOlder = (a: string | undefined, b: string): boolean => a === undefined || iso(b) >= iso(a);

export function mergeStartTravel(state: ProgressState, p: StartTravelPayload): ProgressState {
	return earlier(state.travelStartedAt, p.at) ? { ...state, travelStartedAt: iso(p.at) } : state;
}

export function mergeArrive(state: ProgressState, p: ArrivePayload): ProgressState {
	if (!earlier(state.arrivedAt, p.at)) return state;
	return {
		...state,
		// A skipped 出发 stays unrecorded: the evidence must not show the arrival as a departure.
		arrivedAt: iso(p.at),
		arrival: { lat: p.lat, lng: p.lng, accuracyM: p.accuracyM, distanceM: p.distanceM, farReason: p.farReason?.trim() || null }
	};
}

export function mergeChecklist(state: ProgressState, p: ChecklistPayload, by: string): ProgressState {
	if (!notOlder(state.checklist[p.serviceCode]?.at, p.at)) return state;
	const ticked = [...new Set(p.ticked)].sort((a, b) => a - b);
	return { ...state, checklist: { ...state.checklist, [p.serviceCode]: { ticked, at: iso(p.at), by } } };
}

export function mergeServiceOutcome(state: ProgressState, p: ServiceOutcomePayload, by: string): ProgressState {
	if (!notOlder(state.serviceOutcomes[p.serviceCode]?.at, p.at)) return state;
	const entry = { outcome: p.outcome, note: p.note?.trim() || null, at: iso(p.at), by };
	return { ...state, serviceOutcomes: { ...state.serviceOutcomes, [p.serviceCode]: entry } };
}

export function mergeCompletion(state: ProgressState, p: CompletePayload, by: string): ProgressState {
	return { ...state, consent: p.consent, confirmedBy: [...new Set(p.confirmedBy)], completedBy: by, photos: p.photos ?? [] };
}

/** What the wire carries: no signature image (it stays on the server), only that one exists. */
export function toServerProgress(state: ProgressState, version: number): ServerProgress {
	return {
		version,
		travelStartedAt: state.travelStartedAt,
		arrivedAt: state.arrivedAt,
		arrival: state.arrival,
		checklist: state.checklist,
		serviceOutcomes: state.serviceOutcomes,
		consentSigned: state.consent !== null,
		completedBy: state.completedBy
	};
}
