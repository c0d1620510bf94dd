/*
 * What each mutation type does, inside the transaction opened by ./apply.ts. Checks run in the
 * order that gives the user the most useful reason: scope (is it your visit?), state machine
 * (is the visit still open?), version (has it changed since you saw it?), then the payload.
 */
import { consentHash, isConsentVersion } from '$lib/domain/consent';
import { missingPhotoKinds, requiredPhotoKinds } from '$lib/domain/photos';
import { DEFAULT_SERVICES } from '$lib/domain/services';
import { transition } from '$lib/domain/status';
import type { SessionUser } from '$lib/server/auth/types';
import { getRequest, type VisitRequest } from '$lib/server/repos/requests';
import { listServices } from '$lib/server/repos/services';
import { getVisit, type Visit } from '$lib/server/repos/visits';
import { lockVisit } from '$lib/server/repos/visit-lock';
import { recordOutcome } from '$lib/server/workflow';
import type { Tx } from '$lib/server/workflow/context';
import type { CompletePayload, Mutation, MutationType, PayloadByType } from '$lib/client/sync/protocol';
import { isAssigned } from './field-visits';
import {
	mergeArrive,
	mergeChecklist,
	mergeCompletion,
	mergeServiceOutcome,
	mergeStartTravel,
	type ProgressState
} from './progress-merge';
import { databaseProgress, type ProgressStore } from './progress-repo';
import { reject, RetryLater } from './rejection';
import { supersedePhotos } from '$lib/server/photos/superseded';
import { scheduleEta } from '$lib/server/sms/reminders';

/** A start of travel older than this reached the server too late for an ETA message. */
const ETA_FRESH_MS = 30 * 60_000;

export interface HandlerContext {
	tx: Tx;
	user: SessionUser;
	now: Date;
	/** Where progress is read and written (default: the database, in `tx`). */
	progress?: ProgressStore;
}

/** The visit and its request, loaded for a mutation; both null when the id is unknown. */
export interface Target {
	visit: Visit | null;
	request: VisitRequest | null;
}

/** `locked`: the caller holds the visit's lock already (a batch locks its visits first). */
export async function loadTarget(tx: Tx, visitId: string, opts: { locked?: boolean } = {}): Promise<Target> {
	// One writer per visit at a time (see lockVisit): a photo upload waits for this mutation.
	if (!opts.locked) await lockVisit(tx, visitId);
	const visit = await getVisit(tx, visitId);
	return { visit, request: visit ? await getRequest(tx, visit.requestId) : null };
}

function requireAssigned(user: SessionUser, target: Target): { visit: Visit; request: VisitRequest } {
	const { visit, request } = target;
	if (!visit || !request) return reject('err_not_found');
	if (user.role !== 'field_staff' || !isAssigned(user, visit)) return reject('err_forbidden');
	return { visit, request };
}

/** Progress may be recorded while the visit is the request's open (scheduled, approved) visit. */
function requireOpen(visit: Visit, request: VisitRequest): void {
	const check = transition(request.status, 'record_outcome', 'completed');
	if (!check.ok) reject(`err_transition_${check.reason}`);
	// Approved but this visit is done: the request was reopened with a newer visit.
	if (visit.status !== 'scheduled') reject('err_transition_visit_recorded');
}

function requireService(request: VisitRequest, code: string, tickedIndices: number[] = []): void {
	if (!request.services.includes(code)) reject('err_unknown_service');
	const checklist = DEFAULT_SERVICES.find((s) => s.code === code)?.checklist;
	if (checklist && tickedIndices.some((i) => i >= checklist.length)) reject('invalid_payload');
}

async function updateProgress(ctx: HandlerContext, visitId: string, merge: (state: ProgressState) => ProgressState): Promise<void> {
	const store = ctx.progress ?? databaseProgress(ctx.tx);
	const stored = await store.load(visitId);
	const next = merge(stored.state);
	if (next === stored.state) return; // an older or repeated fact: nothing to write
	const version = await store.save(visitId, stored.version, next, ctx.user.id, ctx.now);
	if (version === null) throw new RetryLater(`progress of visit ${visitId}`);
}

/** The photo kinds the request's services require, from the catalogue as it is now. */
async function requiredPhotosOf(tx: Tx, request: VisitRequest) {
	const codes = new Set(request.services);
	return requiredPhotoKinds((await listServices(tx)).filter((s) => codes.has(s.code)));
}

/**
 * Consent is needed when services were provided; it must name the exact words shown. So are
 * the photos the services require: the manifest lists them (their bytes may come later).
 */
async function checkCompletion(tx: Tx, p: CompletePayload, visit: Visit, request: VisitRequest): Promise<void> {
	const servicesProvided = p.outcome === 'completed' || p.outcome === 'follow_up';
	if (servicesProvided && !p.consent) reject('err_consent_required');
	if (p.consent) {
		if (!isConsentVersion(p.consent.consentVersion)) reject('err_consent_version');
		if (p.consent.consentHash !== (await consentHash(p.consent.consentVersion))) reject('err_consent_hash');
		if (p.consent.consentBy !== 'resident' && !p.consent.relation?.trim()) reject('err_consent_relation');
	}
	// Dual control: both members of THIS team confirmed the outcome on the tablet.
	const confirmed = new Set(p.confirmedBy);
	if (confirmed.size !== 2 || !confirmed.has(visit.leadStaffId) || !confirmed.has(visit.secondStaffId)) {
		reject('err_team_not_confirmed');
	}
	if (servicesProvided && missingPhotoKinds(await requiredPhotosOf(tx, request), p.photos ?? []).length > 0) reject('err_photos_missing');
}

type Handler<T extends MutationType> = (ctx: HandlerContext, m: Mutation<T>, target: Target) => Promise<void>;

const progressHandler =
	<T extends 'visit.start_travel' | 'visit.arrive' | 'visit.checklist' | 'visit.service_outcome'>(
		merge: (state: ProgressState, p: PayloadByType[T], by: string, request: VisitRequest) => ProgressState
	): Handler<T> =>
	async (ctx, m, target) => {
		const { visit, request } = requireAssigned(ctx.user, target);
		requireOpen(visit, request);
		// Progress fields are facts merged by fixed rules (./progress-merge.ts), independent of
		// the schedule: a visit moved or retimed since the device saw it takes them as they are.
		await updateProgress(ctx, visit.id, (state) => merge(state, m.payload, ctx.user.id, request));
	};

export const HANDLERS: { [T in MutationType]: Handler<T> } = {
	'visit.start_travel': async (ctx, m, target) => {
		await progressHandler<'visit.start_travel'>((state, p) => mergeStartTravel(state, p))(ctx, m, target);
		// The customer's "on our way" SMS (if they opted in): once per visit slot (job key).
		const { visit } = target;
		const age = ctx.now.getTime() - Date.parse(m.payload.at);
		if (visit && age >= -ETA_FRESH_MS && age <= ETA_FRESH_MS) await scheduleEta(ctx.tx, visit, m.payload.at, ctx.now);
	},
	'visit.arrive': progressHandler((state, p) => mergeArrive(state, p)),
	'visit.checklist': progressHandler((state, p, by, request) => {
		requireService(request, p.serviceCode, p.ticked);
		return mergeChecklist(state, p, by);
	}),
	'visit.service_outcome': progressHandler((state, p, by, request) => {
		requireService(request, p.serviceCode);
		return mergeServiceOutcome(state, p, by);
	}),
	'visit.complete': async (ctx, m, target) => {
		const { visit, request } = requireAssigned(ctx.user, target);
		const check = transition(request.status, 'record_outcome', m.payload.outcome);
		if (!check.ok) reject(`err_transition_${check.reason}`);
		if (visit.status !== 'scheduled') reject('err_transition_visit_recorded');
		// The final state change is strict: the team must have seen the visit as it is now
		// (same slot, same team). A stale device rebases and retries (the user confirms).
		if (m.baseVersion !== visit.version) reject('err_version_conflict');
		await checkCompletion(ctx.tx, m.payload, visit, request);
		const actor = { id: ctx.user.id, role: ctx.user.role, outletId: ctx.user.outletId, communityId: ctx.user.communityId };
		await recordOutcome(ctx.tx, actor, request.id, { outcome: m.payload.outcome, note: m.payload.note, visitedAt: m.payload.visitedAt, version: request.version }, ctx.now);
		await updateProgress(ctx, visit.id, (state) => mergeCompletion(state, m.payload, ctx.user.id));
		// The manifest is the final list: photos replaced or deleted on the tablet go (privacy).
		await supersedePhotos(ctx.tx, { visitId: visit.id, keep: (m.payload.photos ?? []).map((p) => p.id), actorId: ctx.user.id, outletId: visit.outletId, now: ctx.now });
	},
	// Recorded by ./apply.ts (audit and the discarded ids); nothing changes in the visit.
	'sync.discard': async () => {}
};
