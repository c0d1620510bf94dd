/*
 * valibot schemas of the sync wire protocol (see ./protocol.ts). The envelope is checked for the
 * whole batch (a bad envelope makes the body malformed); payloads per mutation (a bad payload
 * rejects only that mutation, as `invalid_payload`).
 */
import * as v from 'valibot';
import { FAR_REASON_MAX } from '$lib/domain/check-in';
import { CONSENT_BY } from '$lib/domain/consent';
import { isPhotoId, PHOTO_KINDS, PHOTO_LIMITS } from '$lib/domain/photos';
import { VISIT_OUTCOMES } from '$lib/domain/status';
import { SERVICE_OUTCOMES, SYNC_LIMITS, type MutationType, type PayloadByType } from './protocol';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const isoTime = v.pipe(v.string(), v.isoTimestamp());
const note = v.nullable(v.pipe(v.string(), v.maxLength(SYNC_LIMITS.maxNoteChars)));
const serviceCode = v.pipe(v.string(), v.regex(/^[a-z0-9_]{2,40}$/));
const finite = v.pipe(v.number(), v.finite());

/** Everything but the payload: `type` is any string so that unknown types reject one by one. */
export const MUTATION_ENVELOPE = v.object({
	id: v.pipe(v.string(), v.uuid()),
	type: v.pipe(v.string(), v.maxLength(64)),
	entityId: id,
	baseVersion: v.pipe(v.number(), v.integer(), v.minValue(0)),
	payload: v.unknown(),
	createdAt: isoTime,
	deviceId: id
});

export const PUSH_REQUEST = v.object({
	mutations: v.pipe(v.array(MUTATION_ENVELOPE), v.maxLength(SYNC_LIMITS.maxBatchMutations))
});

export const PULL_REQUEST = v.object({
	cursor: v.nullable(v.pipe(v.string(), v.maxLength(200_000)))
});

export const DEVICE_REGISTRATION = v.object({
	label: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80))
});

const CONSENT_RECORD = v.object({
	consentBy: v.picklist(CONSENT_BY),
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
	relation: v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(40))),
	consentVersion: v.pipe(v.string(), v.maxLength(40)),
	consentHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
	signature: v.pipe(
		v.string(),
		v.startsWith('data:image/png;base64,'),
		v.maxLength(SYNC_LIMITS.maxSignatureChars),
		v.regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/)
	),
	signedAt: isoTime
});

/** One photo the tablet took at the visit (uploaded separately; see lib/domain/photos.ts). */
const PHOTO_MANIFEST_ENTRY = v.object({
	id: v.pipe(v.string(), v.check(isPhotoId)),
	kind: v.picklist(PHOTO_KINDS),
	sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
	bytes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(PHOTO_LIMITS.maxUploadBytes)),
	takenAt: isoTime,
	position: v.nullable(
		v.object({
			lat: v.pipe(finite, v.minValue(-90), v.maxValue(90)),
			lng: v.pipe(finite, v.minValue(-180), v.maxValue(180)),
			accuracyM: v.pipe(finite, v.minValue(0))
		})
	)
});

const PHOTO_MANIFEST = v.pipe(
	v.array(PHOTO_MANIFEST_ENTRY),
	v.maxLength(PHOTO_LIMITS.maxPerVisit),
	v.check((list) => new Set(list.map((p) => p.id)).size === list.length, 'photo ids must be unique')
);

export const PAYLOAD_SCHEMAS: { [T in MutationType]: v.GenericSchema<unknown, PayloadByType[T]> } = {
	'visit.start_travel': v.object({ at: isoTime }),
	'visit.arrive': v.object({
		at: isoTime,
		lat: v.pipe(finite, v.minValue(-90), v.maxValue(90)),
		lng: v.pipe(finite, v.minValue(-180), v.maxValue(180)),
		accuracyM: v.pipe(finite, v.minValue(0)),
		distanceM: v.nullable(v.pipe(finite, v.minValue(0))),
		farReason: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(FAR_REASON_MAX))))
	}),
	'visit.checklist': v.object({
		serviceCode,
		ticked: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99))), v.maxLength(100)),
		at: isoTime
	}),
	'visit.service_outcome': v.object({ serviceCode, outcome: v.picklist(SERVICE_OUTCOMES), note, at: isoTime }),
	'visit.complete': v.object({
		outcome: v.picklist(VISIT_OUTCOMES),
		note,
		visitedAt: isoTime,
		consent: v.nullable(CONSENT_RECORD),
		confirmedBy: v.pipe(v.array(id), v.maxLength(2)),
		// Optional: mutations queued by an app version without photos carry none.
		photos: v.optional(PHOTO_MANIFEST)
	}),
	'sync.discard': v.object({
		discarded: v.pipe(
			v.array(
				v.object({
					id: v.pipe(v.string(), v.uuid()),
					type: v.pipe(v.string(), v.maxLength(64)),
					baseVersion: v.pipe(v.number(), v.integer(), v.minValue(0)),
					createdAt: isoTime,
					reason: v.nullable(v.pipe(v.string(), v.maxLength(80)))
				})
			),
			v.minLength(1),
			v.maxLength(SYNC_LIMITS.maxBatchMutations)
		),
		summary: v.record(v.string(), v.unknown())
	})
};

/** The payload typed for its mutation type, or null when it does not match the schema. */
export function parsePayload<T extends MutationType>(type: T, payload: unknown): PayloadByType[T] | null {
	const result = v.safeParse(PAYLOAD_SCHEMAS[type], payload);
	return result.success ? (result.output as PayloadByType[T]) : null;
}
