import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { DeviceSecretsTable, PhotoDeletionsTable, RateLimitsTable, SettingsTable } from './schema-security';
import type { EvidenceReviewsTable, PhotosTable } from './schema-evidence';
import type { DeliveryLogTable, JobsTable, NotificationsTable, ReminderConsentsTable } from './schema-notify';
import type { ReportWorkdaysMetaTable, ReportWorkdaysTable } from './schema-reports';

/*
 * Kysely table types: the contract of docs/architecture.md ("Database schema").
 * One schema serves SQLite and PostgreSQL, so every column is portable:
 * ids are text, timestamps ISO-8601 UTC text, calendar dates `YYYY-MM-DD` (Asia/Shanghai),
 * clock times `HH:MM`, booleans integers 0/1 and lists JSON text.
 * Status-like columns are typed as `string` here; repositories narrow them to domain types.
 */

/** 0 or 1: SQLite has no boolean type, so both databases store an integer. */
export type IntBool = 0 | 1;

export interface BranchesTable {
	id: string;
	name: string;
}

export interface OutletsTable {
	id: string;
	branch_id: string;
	name: string;
	address: string;
	lat: number;
	lng: number;
	opening_hours: string;
	/** Working days an outlet head has to decide on a request. */
	decide_days: Generated<number>;
	/** Working days from approval to the visit. */
	visit_days: Generated<number>;
	active: Generated<IntBool>;
}

export interface CommunitiesTable {
	id: string;
	outlet_id: string;
	name: string;
	district: string;
	active: Generated<IntBool>;
}

export interface UsersTable {
	id: string;
	username: string;
	display_name: string;
	password_hash: string;
	role: string;
	outlet_id: string | null;
	community_id: string | null;
	active: Generated<IntBool>;
	failed_logins: Generated<number>;
	locked_until: string | null;
	created_at: string;
}

export interface SessionsTable {
	/** SHA-256 (hex) of the cookie token, so a leaked table cannot be replayed. */
	id: string;
	user_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
	/** Set when the token was replaced by a new one (migration 005_session_rotation); the old one then lives only for a short grace. */
	rotated_at: string | null;
}

export interface ServicesTable {
	code: string;
	name_zh: string;
	name_en: string;
	duration_min: number;
	active: Generated<IntBool>;
	sort: Generated<number>;
	/** JSON text: photo kinds a visit with this service needs (migration 004_photos). */
	required_photos: Generated<string>;
}

export interface ResidentsTable {
	id: string;
	community_id: string;
	name: string;
	phone: string;
	id_number: string;
	address: string;
	district: string;
	lat: number | null;
	lng: number | null;
	mobility: string;
	place_type: string;
	contact_name: string | null;
	contact_phone: string | null;
	contact_relation: string | null;
	created_at: string;
	created_by: string;
}

export interface RequestsTable {
	id: string;
	ref: string;
	community_id: string;
	outlet_id: string;
	resident_id: string;
	created_by: string;
	status: string;
	urgency: string;
	/** JSON text: service codes. */
	services: string;
	/** JSON text: `[{ date, start, end }]` preferred windows. */
	windows: string;
	notes: string;
	consent_by: string;
	consent_name: string;
	consent_relation: string | null;
	consent_version: string;
	/** SHA-256 of the exact consent words shown (`consentHash()` of $lib/domain/consent). */
	consent_hash: string;
	consent_at: string;
	consent_recorded_by: string;
	decision_reason: string | null;
	created_at: string;
	updated_at: string;
	decided_at: string | null;
	version: Generated<number>;
}

export interface VisitsTable {
	id: string;
	request_id: string;
	outlet_id: string;
	date: string;
	window_start: string;
	window_end: string;
	lead_staff_id: string;
	second_staff_id: string;
	status: string;
	outcome: string | null;
	outcome_note: string | null;
	visited_at: string | null;
	created_at: string;
	updated_at: string;
	version: Generated<number>;
}

export interface AuditLogTable {
	/** Insertion order; the only ordering that cannot be faked by a skewed clock. */
	seq: Generated<number>;
	id: string;
	at: string;
	actor_id: string | null;
	action: string;
	entity: string;
	entity_id: string;
	outlet_id: string | null;
	/** JSON text; never contains ID numbers or phone numbers in clear. */
	details: string;
	/** Hash chain (migration 005_audit_chain): entry_hash of the chain's previous entry. */
	prev_hash: string | null;
	/** SHA-256 of this entry's fields and prev_hash (src/lib/server/audit-chain/hash.ts). */
	entry_hash: string | null;
}

/** The last entry of each audit hash chain (one per outlet, `global` for the rest). */
export interface AuditChainHeadsTable {
	chain: string;
	last_hash: string;
	entries: number;
}

export interface CalendarDaysTable {
	date: string;
	kind: string;
	name: string;
}

/** Named counters for human reference numbers (`R2611-0042`): one row per month prefix. */
export interface CountersTable {
	name: string;
	value: number;
}

/** A tablet registered by a field staff member (migration 002_sync). */
export interface DevicesTable {
	id: string;
	user_id: string;
	label: string;
	created_at: string;
	last_seen_at: string | null;
	revoked_at: string | null;
}

/** Every pushed mutation id, decided once: the idempotency record of the sync protocol. */
export interface SyncMutationsTable {
	id: string;
	user_id: string;
	device_id: string;
	type: string;
	entity_id: string;
	base_version: number;
	received_at: string;
	/** `applied` | `rejected` | `discarded`. */
	result: string;
	reason: string | null;
	/** JSON text: the answer given. */
	response: Generated<string>;
	/** SHA-256 of the canonical body (016_scale_out); null on older rows and recorded discards. */
	body_hash: string | null;
}

/** What the team recorded at a visit before its outcome (steps, checklist, consent). */
export interface VisitProgressTable {
	visit_id: string;
	version: Generated<number>;
	travel_started_at: string | null;
	arrived_at: string | null;
	arrival_lat: number | null;
	arrival_lng: number | null;
	arrival_accuracy_m: number | null;
	arrival_distance_m: number | null;
	/** Why the team checked in far from the resident's pin (migration 012), or null. */
	arrival_far_reason: string | null;
	/** JSON text: `{ [serviceCode]: { ticked, at, by } }`. */
	checklist: Generated<string>;
	/** JSON text: `{ [serviceCode]: { outcome, note, at, by } }`. */
	service_outcomes: Generated<string>;
	consent_by: string | null;
	consent_name: string | null;
	consent_relation: string | null;
	consent_version: string | null;
	consent_hash: string | null;
	consent_signature: string | null;
	consent_signed_at: string | null;
	/** JSON text: user ids. */
	confirmed_by: Generated<string>;
	completed_by: string | null;
	updated_at: string;
	updated_by: string | null;
	/** JSON text: `PhotoManifestEntry[]` sent with the completion (migration 004_photos). */
	photo_manifest: Generated<string>;
}

/** A published route plan's entry for one visit (migration 003_plans). */
export interface VisitPlansTable {
	visit_id: string;
	outlet_id: string;
	date: string;
	lead_staff_id: string;
	second_staff_id: string;
	/** 1-based position in the team's route of the day. */
	planned_order: number;
	/** ISO-8601 UTC instant. */
	planned_arrival: string;
	published_at: string;
	published_by: string;
}

export interface Database {
	branches: BranchesTable;
	outlets: OutletsTable;
	communities: CommunitiesTable;
	users: UsersTable;
	sessions: SessionsTable;
	services: ServicesTable;
	residents: ResidentsTable;
	requests: RequestsTable;
	visits: VisitsTable;
	audit_log: AuditLogTable;
	audit_chain_heads: AuditChainHeadsTable;
	calendar_days: CalendarDaysTable;
	counters: CountersTable;
	devices: DevicesTable;
	sync_mutations: SyncMutationsTable;
	visit_progress: VisitProgressTable;
	visit_plans: VisitPlansTable;
	photos: PhotosTable;
	evidence_reviews: EvidenceReviewsTable;
	device_secrets: DeviceSecretsTable;
	settings: SettingsTable;
	photo_deletions: PhotoDeletionsTable;
	notifications: NotificationsTable;
	jobs: JobsTable;
	reminder_consents: ReminderConsentsTable;
	delivery_log: DeliveryLogTable;
	report_workdays: ReportWorkdaysTable;
	report_workdays_meta: ReportWorkdaysMetaTable;
	rate_limits: RateLimitsTable;
}

export type OutletRow = Selectable<OutletsTable>;
export type CommunityRow = Selectable<CommunitiesTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type ResidentRow = Selectable<ResidentsTable>;
export type RequestRow = Selectable<RequestsTable>;
export type VisitRow = Selectable<VisitsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type CalendarDayRow = Selectable<CalendarDaysTable>;

export type NewRequestRow = Insertable<RequestsTable>;
export type NewVisitRow = Insertable<VisitsTable>;
export type RequestUpdate = Updateable<RequestsTable>;
export type VisitUpdate = Updateable<VisitsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type SyncMutationRow = Selectable<SyncMutationsTable>;
export type VisitProgressRow = Selectable<VisitProgressTable>;
export type PhotoRow = Selectable<PhotosTable>;
