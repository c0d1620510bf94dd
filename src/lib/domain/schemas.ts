/**
 * valibot schemas for every form and API body. Messages are codes (`err_*`, see
 * `schema-fields.ts`); use `fieldErrors(result.issues)` to get `{ 'windows.1.end': code }`.
 *
 * Inputs are plain objects (the server turns FormData into objects, repeated fields → arrays);
 * outputs are normalised (trimmed text, blank optional text → null, coerced numbers/booleans,
 * uppercase resident ID). Unknown keys are dropped (v.object strips them). A missing key reports
 * the object's message, so every object uses `err_required`. Checks that need a
 * clock or the database (date in the past, staff of the right outlet, service code exists) are
 * the server's.
 */

import * as v from 'valibot';
import { CONSENT_BY } from './consent';
import { MOBILITY, PLACE_TYPES, URGENCY } from './services';
import { VISIT_OUTCOMES } from './status';
import {
	DAY_END,
	DAY_START,
	E,
	LAT_RANGE,
	LNG_RANGE,
	choice,
	coordinateField,
	dateField,
	idRef,
	isTime,
	optionalIdRef,
	optionalPhoneField,
	optionalText,
	SERVICE_CODE_RE,
	phoneField,
	residentIdField,
	text,
	timeField
} from './schema-fields';

export { E, SCHEMA_ERROR_CODES, fieldErrors, type ErrorCode } from './schema-fields';

export const loginSchema = v.object(
	{
		username: v.pipe(v.string(E.required), v.trim(), v.toLowerCase(), v.maxLength(32, E.tooLong), v.nonEmpty(E.required)),
		password: v.pipe(v.string(E.required), v.maxLength(200, E.tooLong), v.nonEmpty(E.required))
	},
	E.required
);

export const residentSchema = v.pipe(
	v.object(
		{
			name: text(40),
			phone: phoneField(),
			idNumber: residentIdField(),
			address: text(120),
			district: text(20),
			lat: coordinateField(...LAT_RANGE),
			lng: coordinateField(...LNG_RANGE),
			mobility: choice(MOBILITY),
			placeType: choice(PLACE_TYPES),
			contactName: optionalText(40),
			contactPhone: optionalPhoneField(),
			contactRelation: optionalText(20)
		},
		E.required
	),
	// A position is both coordinates or none.
	v.forward(v.partialCheck([['lat'], ['lng']], (r) => r.lat !== null || r.lng === null, E.position), ['lat']),
	v.forward(v.partialCheck([['lat'], ['lng']], (r) => r.lng !== null || r.lat === null, E.position), ['lng'])
);

/** One time window offered by the resident: a date and a slot inside 07:00–20:00. */
export const windowSchema = v.pipe(
	v.object({ date: dateField(), start: timeField(), end: timeField() }, E.required),
	v.forward(v.partialCheck([['start'], ['end']], (w) => !isTime(w.start) || !isTime(w.end) || w.end > w.start, E.windowOrder), ['end']),
	v.forward(v.partialCheck([['start']], (w) => !isTime(w.start) || w.start >= DAY_START, E.windowHours), ['start']),
	v.forward(v.partialCheck([['end']], (w) => !isTime(w.end) || w.end <= DAY_END, E.windowHours), ['end'])
);

const windowsField = () =>
	v.pipe(
		v.optional(v.array(windowSchema, E.invalid), []),
		v.minLength(2, E.windowsMin),
		v.maxLength(10, E.tooMany),
		v.rawCheck(({ dataset, addIssue }) => {
			if (!dataset.typed) return;
			const seen = new Set<string>();
			dataset.value.forEach((w, i) => {
				const key = `${w.date} ${w.start} ${w.end}`;
				if (seen.has(key)) {
					const item = { type: 'array', origin: 'value', input: dataset.value, key: i, value: w } as const;
					addIssue({ message: E.windowDuplicate, path: [item] });
				}
				seen.add(key);
			});
		})
	);

/** Service codes: one or more, unique. A single form value arrives as a string. */
const servicesField = () =>
	v.pipe(
		v.optional(
			v.union(
				[v.array(v.pipe(v.string(E.invalid), v.maxLength(40, E.tooLong)), E.invalid), v.pipe(v.string(E.invalid), v.maxLength(40, E.tooLong))],
				E.invalid
			),
			[]
		),
		v.transform((x) => (Array.isArray(x) ? x : [x]).map((s) => s.trim()).filter((s) => s !== '')),
		v.minLength(1, E.servicesMin),
		v.maxLength(20, E.tooMany),
		v.check((a) => a.every((c) => SERVICE_CODE_RE.test(c)), E.serviceCode),
		v.check((a) => new Set(a).size === a.length, E.duplicate)
	);

/** The consent checkbox: must be ticked (true, or 'on'/'true'/'1' from a form). */
const consentAgreedField = () =>
	v.pipe(
		v.union([v.literal(true), v.literal('true'), v.literal('on'), v.literal('1')], E.consentRequired),
		v.transform((): true => true)
	);

export const newRequestSchema = v.pipe(
	v.object(
		{
			/** An existing resident of the community … */
			residentId: optionalIdRef(),
			/** … or a new one entered with the request (exactly one of the two). */
			resident: v.nullish(residentSchema),
			services: servicesField(),
			windows: windowsField(),
			urgency: v.optional(choice(URGENCY), 'normal'),
			notes: v.pipe(optionalText(500), v.transform((s) => s ?? '')),
			consentBy: choice(CONSENT_BY),
			consentName: text(40),
			consentRelation: optionalText(20),
			consentAgreed: consentAgreedField()
		},
		E.required
	),
	v.forward(
		v.partialCheck([['residentId'], ['resident']], (i) => i.residentId !== null || i.resident != null, E.residentRequired),
		['residentId']
	),
	v.forward(
		v.partialCheck([['residentId'], ['resident']], (i) => i.residentId === null || i.resident == null, E.residentAmbiguous),
		['residentId']
	),
	v.forward(
		v.partialCheck([['consentBy'], ['consentRelation']], (i) => i.consentBy === 'resident' || i.consentRelation !== null, E.required),
		['consentRelation']
	),
	v.transform((i) => ({
		...i,
		resident: i.resident ?? null,
		// The resident consenting for themself has no "relation"; don't store a stray value.
		consentRelation: i.consentBy === 'resident' ? null : i.consentRelation
	}))
);

const scheduleEntries = {
	date: dateField(),
	start: timeField(),
	end: timeField(),
	leadStaffId: idRef(),
	secondStaffId: idRef()
};

// The same checks for approve and reschedule (written twice: valibot types each pipe's input).
export const approveSchema = v.pipe(
	v.object(scheduleEntries, E.required),
	v.forward(v.partialCheck([['start'], ['end']], (w) => !isTime(w.start) || !isTime(w.end) || w.end > w.start, E.windowOrder), ['end']),
	v.forward(v.partialCheck([['start']], (w) => !isTime(w.start) || w.start >= DAY_START, E.windowHours), ['start']),
	v.forward(v.partialCheck([['end']], (w) => !isTime(w.end) || w.end <= DAY_END, E.windowHours), ['end']),
	v.forward(v.partialCheck([['leadStaffId'], ['secondStaffId']], (s) => s.leadStaffId === '' || s.leadStaffId !== s.secondStaffId, E.sameStaff), ['secondStaffId'])
);

export const rescheduleSchema = v.pipe(
	v.object({ ...scheduleEntries, reason: text(300, 2) }, E.required),
	v.forward(v.partialCheck([['start'], ['end']], (w) => !isTime(w.start) || !isTime(w.end) || w.end > w.start, E.windowOrder), ['end']),
	v.forward(v.partialCheck([['start']], (w) => !isTime(w.start) || w.start >= DAY_START, E.windowHours), ['start']),
	v.forward(v.partialCheck([['end']], (w) => !isTime(w.end) || w.end <= DAY_END, E.windowHours), ['end']),
	v.forward(v.partialCheck([['leadStaffId'], ['secondStaffId']], (s) => s.leadStaffId === '' || s.leadStaffId !== s.secondStaffId, E.sameStaff), ['secondStaffId'])
);

export const rejectSchema = v.object({ reason: text(300, 2) }, E.required);
export const cancelSchema = v.object({ reason: text(300, 2) }, E.required);

export const outcomeSchema = v.object(
	{ outcome: choice(VISIT_OUTCOMES), note: v.pipe(optionalText(500), v.transform((s) => s ?? '')) },
	E.required
);

/** The outlet head's review of a visit's evidence: accept (no reason) or send back (reason). */
export const acceptEvidenceSchema = v.object({ visitId: idRef() }, E.required);
export const sendBackEvidenceSchema = v.object({ visitId: idRef(), reason: text(300, 2) }, E.required);

export * from './schemas-admin';

export type LoginInput = v.InferOutput<typeof loginSchema>;
export type ResidentInput = v.InferOutput<typeof residentSchema>;
export type WindowInput = v.InferOutput<typeof windowSchema>;
export type NewRequestInput = v.InferOutput<typeof newRequestSchema>;
export type ApproveInput = v.InferOutput<typeof approveSchema>;
export type RescheduleInput = v.InferOutput<typeof rescheduleSchema>;
export type ReasonInput = v.InferOutput<typeof rejectSchema>;
export type OutcomeInput = v.InferOutput<typeof outcomeSchema>;
