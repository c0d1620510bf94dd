/**
 * Building blocks for the valibot schemas in `schemas.ts`: the error message codes and reusable
 * field schemas. Every issue message is a message CODE that pages translate (see
 * messages-todo.json), never prose. Inputs are plain objects converted from FormData or JSON, so
 * fields accept both typed values and their string forms ('12', 'on', '') where a form would
 * send strings.
 */

import * as v from 'valibot';
import { isValidDate } from './calendar';
import { validateResidentId } from './resident-id';

export const E = {
	required: 'err_required',
	tooLong: 'err_too_long',
	tooShort: 'err_too_short',
	invalid: 'err_invalid',
	choice: 'err_choice',
	phone: 'err_phone',
	date: 'err_date',
	time: 'err_time',
	windowOrder: 'err_window_order',
	windowHours: 'err_window_hours',
	windowDuplicate: 'err_window_duplicate',
	windowsMin: 'err_windows_min',
	tooMany: 'err_too_many',
	servicesMin: 'err_services_min',
	serviceCode: 'err_service_code',
	duplicate: 'err_duplicate',
	sameStaff: 'err_same_staff',
	consentRequired: 'err_consent_required',
	residentRequired: 'err_resident_required',
	residentAmbiguous: 'err_resident_ambiguous',
	position: 'err_position',
	number: 'err_number',
	range: 'err_range',
	username: 'err_username',
	passwordShort: 'err_password_short',
	outletRequired: 'err_outlet_required',
	communityRequired: 'err_community_required',
	residentIdEmpty: 'err_resident_id_empty',
	residentIdLength: 'err_resident_id_length',
	residentIdFormat: 'err_resident_id_format',
	residentIdBirthDate: 'err_resident_id_birth_date',
	residentIdCheckDigit: 'err_resident_id_check_digit'
} as const;
export type ErrorCode = (typeof E)[keyof typeof E];
export const SCHEMA_ERROR_CODES: readonly ErrorCode[] = Object.values(E);

/** Visits happen between these local times (HH:MM); offered windows must lie inside. */
export const DAY_START = '07:00';
export const DAY_END = '20:00';

export const SERVICE_CODE_RE = /^[a-z0-9_]{2,40}$/;
export const PHONE_RE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const TIME_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** Cross-field checks run even when a field already has a format issue (valibot keeps such a
 * value "typed"), so they compare times only when both are well-formed. */
export const isTime = (s: string) => TIME_RE.test(s);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Required text, trimmed, `min..max` characters. */
export function text(max: number, min = 1) {
	return v.pipe(
		v.string(E.required),
		v.trim(),
		v.maxLength(max, E.tooLong),
		v.minLength(1, E.required),
		v.minLength(min, E.tooShort)
	);
}

/** Optional text: missing, null or blank → null. */
export function optionalText(max: number) {
	return v.pipe(
		v.nullish(v.string(E.invalid), ''),
		v.trim(),
		v.maxLength(max, E.tooLong),
		v.transform((s): string | null => (s === '' ? null : s))
	);
}

/** An id of another row (uuid today; opaque to the domain). */
export const idRef = () => text(64);
export const optionalIdRef = () => optionalText(64);

export const dateField = () =>
	v.pipe(v.string(E.required), v.trim(), v.nonEmpty(E.required), v.regex(DATE_RE, E.date), v.check(isValidDate, E.date));

export const timeField = () =>
	v.pipe(v.string(E.required), v.trim(), v.nonEmpty(E.required), v.regex(TIME_RE, E.time));

/** CN mobile (1[3-9] + 9 digits) or landline (0 + 2–3 digit area code, optional '-', 7–8 digits). */
export const phoneField = () =>
	v.pipe(
		v.string(E.required),
		v.trim(),
		v.maxLength(20, E.tooLong),
		v.transform((s) => s.replace(/\s+/g, '')),
		v.nonEmpty(E.required),
		v.regex(PHONE_RE, E.phone)
	);

export const optionalPhoneField = () =>
	v.pipe(
		optionalText(20),
		v.transform((s) => (s === null ? null : s.replace(/\s+/g, ''))),
		v.check((s) => s === null || PHONE_RE.test(s), E.phone)
	);

/** Resident ID validated with the check digit; the output is normalised (uppercase X). */
export const residentIdField = () =>
	v.pipe(
		v.string(E.required),
		v.trim(),
		v.maxLength(64, E.tooLong),
		v.rawTransform(({ dataset, addIssue, NEVER }) => {
			const r = validateResidentId(dataset.value);
			if (r.ok) return r.value;
			addIssue({ message: r.reason === 'empty' ? E.required : `err_resident_id_${r.reason}` });
			return NEVER;
		})
	);

/** A choice from a fixed list (select/radio). */
export const choice = <const T extends readonly [string, ...string[]]>(options: T) => v.picklist(options, E.choice);

/** Number from a number or a numeric string; blank/missing → null. */
function optionalNumber() {
	return v.pipe(
		v.nullish(v.union([v.number(E.number), v.pipe(v.string(E.number), v.maxLength(32, E.tooLong))], E.number), null),
		v.transform((x): number | null =>
			x === null || (typeof x === 'string' && x.trim() === '') ? null : Number(x)
		)
	);
}

/** Latitude/longitude in WGS-84, optional, within China's bounding box. */
export const coordinateField = (min: number, max: number) =>
	v.pipe(
		optionalNumber(),
		v.check((x) => x === null || (Number.isFinite(x) && x >= min && x <= max), E.position)
	);
export const LAT_RANGE = [3.8, 53.6] as const;
export const LNG_RANGE = [73.4, 135.1] as const;

/** Required integer in `min..max` (strings from forms are coerced). */
export const intField = (min: number, max: number) =>
	v.pipe(
		optionalNumber(),
		v.check((x) => x !== null, E.required),
		v.check((x) => x === null || Number.isInteger(x), E.number),
		v.check((x) => x === null || !Number.isInteger(x) || (x >= min && x <= max), E.range),
		v.transform((x) => x as number)
	);

/** A checkbox: true/'on'/'true'/'1' → true; missing/false/'off'/'false'/'0'/'' → false. */
export const boolField = () =>
	v.pipe(
		v.optional(v.union([v.boolean(), v.picklist(['on', 'true', '1', 'off', 'false', '0', ''])], E.invalid), false),
		v.transform((x) => x === true || x === 'on' || x === 'true' || x === '1')
	);

type Issue = { message: string; path?: readonly { key: unknown }[] };

/**
 * Map issues to `{ 'dotted.path': code }`, keeping the first code per field. Issues without a
 * path (whole-form checks) go under `_form`.
 */
export function fieldErrors(issues: readonly Issue[] | undefined | null): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of issues ?? []) {
		const key = issue.path?.map((p) => String(p.key)).join('.') || '_form';
		if (!Object.hasOwn(out, key)) out[key] = issue.message;
	}
	return out;
}
