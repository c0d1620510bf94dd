/**
 * valibot schemas of the admin pages (outlets, communities, accounts, service catalogue,
 * calendar). Re-exported by `schemas.ts`; same conventions (message codes, coerced form values).
 */

import * as v from 'valibot';
import { ROLES } from './roles';
import { LOCK_IDLE_MINUTES } from './lock-policy';
import { REQUIRABLE_PHOTO_KINDS } from './services';
import {
	E,
	LAT_RANGE,
	LNG_RANGE,
	SERVICE_CODE_RE,
	boolField,
	choice,
	coordinateField,
	dateField,
	idRef,
	intField,
	optionalIdRef,
	optionalText,
	text
} from './schema-fields';

const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;
const needsOutlet = (role: string) => role === 'field_staff' || role === 'outlet_head';

/** Usernames are case-insensitive: lowercased before the format check (and at login). */
const usernameField = () =>
	v.pipe(v.string(E.required), v.trim(), v.toLowerCase(), v.maxLength(32, E.tooLong), v.nonEmpty(E.required), v.regex(USERNAME_RE, E.username));

/** Passwords are never trimmed; the upper bound keeps argon2 hashing cheap to refuse. */
const passwordField = () =>
	v.pipe(v.string(E.required), v.maxLength(200, E.tooLong), v.nonEmpty(E.required), v.minLength(10, E.passwordShort));

const requiredCoordinate = (range: readonly [number, number]) =>
	v.pipe(coordinateField(range[0], range[1]), v.check((x) => x !== null, E.required), v.transform((x) => x as number));

export const outletSchema = v.object(
	{
		name: text(60),
		address: text(120),
		lat: requiredCoordinate(LAT_RANGE),
		lng: requiredCoordinate(LNG_RANGE),
		openingHours: optionalText(200),
		decideDays: intField(0, 30),
		visitDays: intField(1, 60),
		active: boolField()
	},
	E.required
);

export const communitySchema = v.object(
	{ outletId: idRef(), name: text(60), district: text(20), active: boolField() },
	E.required
);

const userEntries = {
	username: usernameField(),
	displayName: text(40),
	role: choice(ROLES),
	outletId: optionalIdRef(),
	communityId: optionalIdRef()
};

// Field staff and outlet heads belong to an outlet, community workers to a community. (The two
// checks are repeated per schema: valibot types each pipe's input, so they can't be shared.)
export const userCreateSchema = v.pipe(
	v.object({ ...userEntries, password: passwordField() }, E.required),
	v.forward(v.partialCheck([['role'], ['outletId']], (u) => !needsOutlet(u.role) || u.outletId !== null, E.outletRequired), ['outletId']),
	v.forward(v.partialCheck([['role'], ['communityId']], (u) => u.role !== 'community_worker' || u.communityId !== null, E.communityRequired), ['communityId'])
);

/** Editing an account: name, role and scope. Username, password and status have their own forms. */
export const userEditSchema = v.pipe(
	v.object({ id: idRef(), displayName: text(40), role: choice(ROLES), outletId: optionalIdRef(), communityId: optionalIdRef() }, E.required),
	v.forward(v.partialCheck([['role'], ['outletId']], (u) => !needsOutlet(u.role) || u.outletId !== null, E.outletRequired), ['outletId']),
	v.forward(v.partialCheck([['role'], ['communityId']], (u) => u.role !== 'community_worker' || u.communityId !== null, E.communityRequired), ['communityId'])
);

/** The admin types a temporary password; same rules as at creation. */
export const passwordResetSchema = v.object({ id: idRef(), password: passwordField() }, E.required);

/** Deactivate, reactivate, delete: only the record's id. */
export const idOnlySchema = v.object({ id: idRef() }, E.required);

export const serviceSchema = v.object(
	{
		code: v.pipe(v.string(E.required), v.trim(), v.maxLength(40, E.tooLong), v.nonEmpty(E.required), v.regex(SERVICE_CODE_RE, E.serviceCode)),
		nameZh: text(40),
		nameEn: text(60),
		durationMin: intField(5, 480),
		active: boolField(),
		sort: v.optional(intField(0, 9999), 0),
		// Ticked checkboxes `requiredPhotos[]`; none ticked sends nothing: no photo required.
		// (Checked as a whole so the message sits on the field, not on an item.)
		requiredPhotos: v.optional(
			v.pipe(
				v.array(v.string(), E.choice),
				v.check((kinds) => kinds.every((k) => (REQUIRABLE_PHOTO_KINDS as readonly string[]).includes(k)), E.choice),
				v.transform((kinds) => [...new Set(kinds)] as (typeof REQUIRABLE_PHOTO_KINDS)[number][])
			),
			[]
		)
	},
	E.required
);
/** The code is the primary key and old requests name it: it cannot change after creation. */
export const serviceEditSchema = v.omit(serviceSchema, ['code']);

export const calendarDaySchema = v.object(
	{ date: dateField(), kind: choice(['holiday', 'workday']), name: text(40) },
	E.required
);

export type OutletInput = v.InferOutput<typeof outletSchema>;
export type CommunityInput = v.InferOutput<typeof communitySchema>;
export type UserCreateInput = v.InferOutput<typeof userCreateSchema>;
export type UserEditInput = v.InferOutput<typeof userEditSchema>;
export type ServiceEditInput = v.InferOutput<typeof serviceEditSchema>;
export type ServiceInput = v.InferOutput<typeof serviceSchema>;
export type CalendarDayInput = v.InferOutput<typeof calendarDaySchema>;

/** The field app's idle lock (lib/domain/lock-policy.ts), as the admin sets it. */
export const lockPolicySchema = v.object({ lockIdleMinutes: intField(LOCK_IDLE_MINUTES.min, LOCK_IDLE_MINUTES.max) }, E.required);
