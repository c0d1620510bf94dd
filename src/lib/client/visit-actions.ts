/*
 * What the field UI calls while the team works a visit. Each action updates the visit's draft
 * AND appends its mutation to the outbox in ONE Dexie transaction: the screen and the queue can
 * never disagree, even if the tablet dies mid-tap. Call `engine.changed()` afterwards (or use
 * `createVisitActions`, which does).
 */
import type { VisitOutcome } from '$lib/domain/status';
import { missingPhotoKinds, requiredPhotoKinds, type PhotoKind } from '$lib/domain/photos';
import { photoManifest } from './photos/pipeline';
import type { DoorstepDb, VisitDraft } from './db';
import { enqueue } from './sync/outbox';
import { SYNC_LIMITS, type ConsentRecord, type ServiceOutcome } from './sync/protocol';

export function emptyDraft(visitId: string, now: Date = new Date()): VisitDraft {
	return {
		visitId,
		step: 'not_started',
		travelStartedAt: null,
		arrival: null,
		checklist: {},
		serviceOutcomes: {},
		outcome: null,
		note: '',
		consent: null,
		confirmedBy: [],
		completedAt: null,
		updatedAt: now.toISOString()
	};
}

export async function getDraft(db: DoorstepDb, visitId: string): Promise<VisitDraft> {
	return (await db.drafts.get(visitId)) ?? emptyDraft(visitId);
}

/** Great-circle distance in metres (WGS-84 positions), e.g. from the check-in to the pin. */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLng = (b.lng - a.lng) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
	return Math.round(2 * 6_371_000 * Math.asin(Math.sqrt(h)));
}

async function change(db: DoorstepDb, visitId: string, now: Date, work: (draft: VisitDraft) => Promise<void> | void): Promise<VisitDraft> {
	return db.transaction('rw', [db.drafts, db.outbox, db.visits, db.syncState, db.services, db.photos], async () => {
		const draft = { ...(await getDraft(db, visitId)) };
		await work(draft);
		draft.updatedAt = now.toISOString();
		await db.drafts.put(draft);
		return draft;
	});
}

const later = (step: VisitDraft['step'], target: VisitDraft['step']) => {
	const order = ['not_started', 'travelling', 'arrived', 'in_progress', 'completed'];
	return order.indexOf(target) > order.indexOf(step) ? target : step;
};

export function startTravel(db: DoorstepDb, visitId: string, now: Date = new Date()): Promise<VisitDraft> {
	return change(db, visitId, now, async (d) => {
		d.travelStartedAt ??= now.toISOString();
		d.step = later(d.step, 'travelling');
		await enqueue(db, 'visit.start_travel', visitId, { at: now.toISOString() }, now);
	});
}

export interface Position {
	lat: number;
	lng: number;
	accuracyM: number;
	/** Distance to the resident's pin (see distanceMeters); null without a pin. */
	distanceM: number | null;
	/** Why the team checks in further than the branch's distance from the pin (issue 13). */
	farReason?: string | null;
}

export function recordArrival(db: DoorstepDb, visitId: string, position: Position, now: Date = new Date()): Promise<VisitDraft> {
	return change(db, visitId, now, async (d) => {
		const at = now.toISOString();
		d.arrival = { at, ...position };
		d.step = later(d.step, 'arrived');
		await enqueue(db, 'visit.arrive', visitId, { at, ...position }, now);
	});
}

/** `ticked`: the whole set of ticked item indices of that service's checklist. */
export function setChecklist(db: DoorstepDb, visitId: string, serviceCode: string, ticked: number[], now: Date = new Date()): Promise<VisitDraft> {
	return change(db, visitId, now, async (d) => {
		d.checklist = { ...d.checklist, [serviceCode]: [...new Set(ticked)].sort((a, b) => a - b) };
		d.step = later(d.step, 'in_progress');
		await enqueue(db, 'visit.checklist', visitId, { serviceCode, ticked: d.checklist[serviceCode], at: now.toISOString() }, now);
	});
}

export function setServiceOutcome(db: DoorstepDb, visitId: string, serviceCode: string, outcome: ServiceOutcome, note: string | null, now: Date = new Date()): Promise<VisitDraft> {
	return change(db, visitId, now, async (d) => {
		d.serviceOutcomes = { ...d.serviceOutcomes, [serviceCode]: { outcome, note } };
		d.step = later(d.step, 'in_progress');
		await enqueue(db, 'visit.service_outcome', visitId, { serviceCode, outcome, note, at: now.toISOString() }, now);
	});
}

/** Local-only fields while the team fills the final screen (sent with the completion). */
export function saveDraftFields(
	db: DoorstepDb,
	visitId: string,
	fields: Partial<Pick<VisitDraft, 'outcome' | 'note' | 'consent' | 'confirmedBy'>>,
	now: Date = new Date()
): Promise<VisitDraft> {
	return change(db, visitId, now, (d) => {
		Object.assign(d, fields);
	});
}

export interface Completion {
	outcome: VisitOutcome;
	note: string | null;
	consent: ConsentRecord | null;
	/** Ids of the lead and the second, each having confirmed on the tablet. */
	confirmedBy: string[];
}

export class SignatureTooLargeError extends Error {
	constructor() {
		super('sync_err_signature_too_large');
	}
}

/** A completed/follow-up visit needs every photo kind its services require. */
export class PhotosMissingError extends Error {
	constructor(readonly kinds: PhotoKind[]) {
		super('photo_ui_err_missing');
		this.name = 'PhotosMissingError';
	}
}

/** Outcomes that say the service happened: these need the identity-verification photos. */
export const outcomeNeedsPhotos = (outcome: VisitOutcome | null): boolean => outcome === 'completed' || outcome === 'follow_up';

/**
 * The final step: queues `visit.complete` (the server records the outcome on the request) with
 * the manifest of the visit's photos. Refused (nothing saved) while a required kind is missing.
 */
export function completeVisit(db: DoorstepDb, visitId: string, completion: Completion, now: Date = new Date()): Promise<VisitDraft> {
	if (completion.consent && completion.consent.signature.length > SYNC_LIMITS.maxSignatureChars) throw new SignatureTooLargeError();
	return change(db, visitId, now, async (d) => {
		const at = now.toISOString();
		const photos = await db.photos.where('visitId').equals(visitId).toArray();
		if (outcomeNeedsPhotos(completion.outcome)) {
			const visit = await db.visits.get(visitId);
			const services = visit ? (await db.services.bulkGet(visit.services)).filter((s) => !!s) : [];
			const missing = missingPhotoKinds(requiredPhotoKinds(services), photos);
			if (missing.length) throw new PhotosMissingError(missing);
		}
		Object.assign(d, { outcome: completion.outcome, note: completion.note ?? '', consent: completion.consent, confirmedBy: completion.confirmedBy, completedAt: at, step: 'completed' });
		await enqueue(db, 'visit.complete', visitId, { ...completion, visitedAt: at, photos: photoManifest(photos) }, now);
	});
}

/** The actions bound to a database and an engine: each one tells the engine, which syncs soon. */
export function createVisitActions(db: DoorstepDb, engine: { changed(): Promise<void> }) {
	const notify = async (draft: Promise<VisitDraft>) => {
		const result = await draft;
		await engine.changed();
		return result;
	};
	return {
		getDraft: (visitId: string) => getDraft(db, visitId),
		startTravel: (visitId: string) => notify(startTravel(db, visitId)),
		recordArrival: (visitId: string, position: Position) => notify(recordArrival(db, visitId, position)),
		setChecklist: (visitId: string, serviceCode: string, ticked: number[]) => notify(setChecklist(db, visitId, serviceCode, ticked)),
		setServiceOutcome: (visitId: string, serviceCode: string, outcome: ServiceOutcome, note: string | null) =>
			notify(setServiceOutcome(db, visitId, serviceCode, outcome, note)),
		saveDraftFields: (visitId: string, fields: Parameters<typeof saveDraftFields>[2]) => saveDraftFields(db, visitId, fields),
		completeVisit: (visitId: string, completion: Completion) => notify(completeVisit(db, visitId, completion))
	};
}
