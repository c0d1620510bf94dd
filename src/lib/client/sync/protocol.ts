/*
 * The sync wire protocol, shared by the device (src/lib/client/sync) and the server
 * (src/lib/server/sync). Pure: types, constants and valibot schemas, no I/O.
 * docs/sync-protocol.md explains the rules; keep the two together.
 *
 * (It lives under lib/client because the sync work owns that folder; the server imports it as it
 * would import lib/domain. Moving it to lib/domain later changes only import paths.)
 */
import type { FieldNoticeCode } from '$lib/domain/notifications';
import type { ChecklistItem, PhotoKind } from '$lib/domain/services';
import type { PhotoManifestEntry } from '$lib/domain/photos';
import type { ResidentView } from '$lib/domain/privacy';
import type { RequestStatus, VisitOutcome } from '$lib/domain/status';
import type { ConsentBy } from '$lib/domain/consent';

export const PROTOCOL_VERSION = 1;

/** Header carrying the id the server issued to this tablet (POST /api/devices). */
export const DEVICE_HEADER = 'x-doorstep-device';

export const SYNC_LIMITS = {
	/** A push with more mutations is refused whole (413), nothing applied. */
	maxBatchMutations: 200,
	/** A push body larger than this is refused whole (413), nothing applied. */
	maxBodyBytes: 5 * 1024 * 1024,
	/** A PNG data URL of a signature; a 600×300 two-colour PNG is ~20–60 kB. */
	maxSignatureChars: 400_000,
	maxNoteChars: 2000
} as const;

/** What the device batches per push, well below the server's limits. */
export const CLIENT_BATCH = { maxMutations: 50, maxBytes: 1_500_000 } as const;

export const MUTATION_TYPES = [
	'visit.start_travel',
	'visit.arrive',
	'visit.checklist',
	'visit.service_outcome',
	'visit.complete',
	'sync.discard'
] as const;
export type MutationType = (typeof MUTATION_TYPES)[number];

export function isMutationType(x: unknown): x is MutationType {
	return typeof x === 'string' && (MUTATION_TYPES as readonly string[]).includes(x);
}

export const SERVICE_OUTCOMES = ['done', 'not_done'] as const;
export type ServiceOutcome = (typeof SERVICE_OUTCOMES)[number];

export interface StartTravelPayload {
	at: string;
}
export interface ArrivePayload {
	at: string;
	lat: number;
	lng: number;
	/** GPS accuracy radius in metres. */
	accuracyM: number;
	/** Distance to the resident's pin in metres; null when the resident has no pin. */
	distanceM: number | null;
	/** The team's reason for checking in further than the policy's distance from the pin (issue 13). */
	farReason?: string | null;
}
export interface ChecklistPayload {
	serviceCode: string;
	/** Indices of the ticked items of the service's checklist (the whole set, not a delta). */
	ticked: number[];
	at: string;
}
export interface ServiceOutcomePayload {
	serviceCode: string;
	outcome: ServiceOutcome;
	note: string | null;
	at: string;
}
export interface ConsentRecord {
	consentBy: ConsentBy;
	name: string;
	relation: string | null;
	consentVersion: string;
	/** consentHash(consentVersion): proves which words were shown on the tablet. */
	consentHash: string;
	/** `data:image/png;base64,…`, at most SYNC_LIMITS.maxSignatureChars. */
	signature: string;
	signedAt: string;
}
export interface CompletePayload {
	outcome: VisitOutcome;
	note: string | null;
	visitedAt: string;
	/** Required when the outcome is completed or follow_up (services were provided). */
	consent: ConsentRecord | null;
	/** User ids of the two team members who confirmed the outcome: lead and second. */
	confirmedBy: string[];
	/**
	 * The photos taken at the visit (uploaded separately by the photo queue, maybe later). The
	 * server refuses a completed/follow_up outcome whose manifest misses a required kind.
	 * Optional on the wire: mutations queued by an older app version have none.
	 */
	photos?: PhotoManifestEntry[];
}
export interface DiscardedMutation {
	id: string;
	type: string;
	baseVersion: number;
	createdAt: string;
	/** Rejection reason when the server had refused it, else null (never pushed). */
	reason: string | null;
}
/** The user gave up local work; the server only records it (audit) so both facts are kept. */
export interface DiscardPayload {
	discarded: DiscardedMutation[];
	/** What the device had (outcome, note…): no signature, it stays out of the audit log. */
	summary: Record<string, unknown>;
}

export interface PayloadByType {
	'visit.start_travel': StartTravelPayload;
	'visit.arrive': ArrivePayload;
	'visit.checklist': ChecklistPayload;
	'visit.service_outcome': ServiceOutcomePayload;
	'visit.complete': CompletePayload;
	'sync.discard': DiscardPayload;
}

export interface Mutation<T extends MutationType = MutationType> {
	/** Client-generated UUID: the idempotency key. */
	id: string;
	type: T;
	/** The visit id. */
	entityId: string;
	/** `version` of the visit as the device last saw it. */
	baseVersion: number;
	payload: PayloadByType[T];
	createdAt: string;
	deviceId: string;
}

/** Reason codes of a rejection (translated by the UI as `sync_reason_<code>` or the err_ table). */
export type RejectReason =
	| 'unknown_type'
	| 'invalid_payload'
	| 'err_forbidden'
	| 'err_not_found'
	| 'err_version_conflict'
	| 'err_discarded'
	| 'err_consent_required'
	| 'err_consent_version'
	| 'err_consent_hash'
	| 'err_consent_relation'
	| 'err_team_not_confirmed'
	| 'err_unknown_service'
	| 'err_photos_missing'
	| `err_transition_${string}`
	| (string & {});

export type MutationResult =
	| { id: string; status: 'applied' | 'already_applied'; visit: SyncVisit | null }
	| { id: string; status: 'rejected'; reason: RejectReason; visit: SyncVisit | null };

export interface PushRequest {
	mutations: Mutation[];
}
/**
 * One result per processed mutation, in order. A mutation without a result was not processed
 * (the server stopped early, or an earlier mutation of the same visit was rejected in this
 * batch): it stays in the outbox.
 */
export interface PushResponse {
	results: MutationResult[];
	/**
	 * Present when this tablet was revoked: the push was still applied (nothing unsynced is lost),
	 * and the device must now hand over the rest and wipe itself (docs/sync-protocol.md).
	 */
	revoked?: DeviceRevocation;
}

export interface ServerProgress {
	version: number;
	travelStartedAt: string | null;
	arrivedAt: string | null;
	arrival: { lat: number; lng: number; accuracyM: number; distanceM: number | null; farReason?: string | null } | null;
	checklist: Record<string, { ticked: number[]; at: string; by: string }>;
	serviceOutcomes: Record<string, { outcome: ServiceOutcome; note: string | null; at: string; by: string }>;
	consentSigned: boolean;
	completedBy: string | null;
}

/** A visit as the assigned team's tablet holds it (the field view, see views/field.ts). */
export interface SyncVisit {
	id: string;
	requestId: string;
	ref: string;
	requestStatus: RequestStatus;
	requestVersion: number;
	status: 'scheduled' | 'visited' | 'cancelled';
	outcome: VisitOutcome | null;
	outcomeNote: string | null;
	visitedAt: string | null;
	date: string;
	start: string;
	end: string;
	notes: string;
	urgency: string;
	communityName: string;
	lead: { id: string; name: string };
	second: { id: string; name: string };
	services: string[];
	resident: ResidentView | null;
	/**
	 * Who consented on the request (issue 13): the consent step starts from it. Optional: a
	 * visit stored before this field existed has none (the step then starts from the resident).
	 */
	requestConsent?: { by: ConsentBy; name: string; relation: string | null };
	/** The visit row's version: the `baseVersion` of mutations made on this visit. */
	version: number;
	progress: ServerProgress | null;
	/**
	 * The visit's 1-based stop in its team's published route of the day (dispatch board), null
	 * when no plan covers the visit as it stands (none published, or moved since). Part of the
	 * pull's fingerprint, so a new publication reaches the tablets at their next pull.
	 */
	plannedOrder: number | null;
	/** When the published plan expects the team at the door, `HH:MM` Asia/Shanghai, or null. */
	plannedArrival: string | null;
	/** The outlet head's review of the evidence: sent back means the team must add photos. */
	evidenceReview: { status: 'accepted' | 'sent_back'; reason: string | null; at: string } | null;
}

export interface SyncService {
	code: string;
	nameZh: string;
	nameEn: string;
	durationMin: number;
	checklist: ChecklistItem[];
	/** Photo kinds a visit with this service must have before it can be completed. */
	requiredPhotos: PhotoKind[];
}

export interface PullRequest {
	cursor: string | null;
}
export interface PullResponse {
	cursor: string;
	/** New or changed visits of the user (today − 7 … today + 14, open or visited today). */
	visits: SyncVisit[];
	/** Visits the device had that are no longer its user's (cancelled, reassigned, out of range). */
	withdrawn: string[];
	/** The service catalogue when it changed since the cursor, else null. */
	services: SyncService[] | null;
	/** The cursor was unknown: `visits` is everything, drop any other local visit. */
	reset: boolean;
	serverTime: string;
	/** The administrator's field-app policy, sent with every pull (lib/domain/lock-policy.ts). */
	policy: { lockIdleMinutes: number; checkInMaxDistanceM?: number };
	/**
	 * New, moved and cancelled visits (and evidence sent back) as notices the tablet shows until
	 * the user dismisses them; each is sent once per cursor (absent from older servers).
	 */
	notices?: FieldNotice[];
}

export interface FieldNotice {
	id: string;
	code: FieldNoticeCode;
	/** Ref, date, times, a reason: formatted and translated on the tablet. */
	params: Record<string, string | number | null>;
	visitId: string | null;
	createdAt: string;
}

export interface DeviceInfo {
	id: string;
	label: string;
	createdAt: string;
	lastSeenAt: string | null;
	revokedAt: string | null;
}

/** Error bodies of the sync endpoints: `{ message: code }` like every SvelteKit error. */
export type SyncErrorCode =
	| 'sync_err_malformed'
	| 'sync_err_too_large'
	| 'sync_err_device'
	| 'sync_err_revoked'
	| 'sync_err_not_revoked'
	| 'err_unauthenticated'
	| 'err_forbidden';

/**
 * Revocation and wipe (docs/sync-protocol.md § Revocation). The admin revoked this tablet:
 * - push keeps working and its answer carries `revoked` (the tablet's queued work still counts);
 * - pull answers REVOKED_STATUS with `RevokedBody` and sends no data;
 * - photo uploads keep working;
 * - once its outbox and photo queue are empty, the tablet wipes its store and caches and reports
 *   it with `POST /api/sync/wiped` (`WipedReport`).
 */
export interface DeviceRevocation {
	reason: 'device_revoked';
	revokedAt: string;
}
export const REVOKED_STATUS = 410;
export interface RevokedBody {
	message: 'sync_err_revoked';
	revoked: DeviceRevocation;
}
/** What the tablet could not hand over before wiping (0 and 0 when nothing was lost). */
export interface WipedReport {
	unsyncedMutations: number;
	unsyncedPhotos: number;
}
