import * as v from 'valibot';
import { ROLES } from '$lib/domain/roles';
import { serviceSchema } from '$lib/domain/schemas';
import { E, choice, idRef, intField, optionalIdRef, text } from '$lib/domain/schema-fields';

/*
 * Admin forms that `$lib/domain/schemas.ts` has no exact schema for, built from the same field
 * helpers so the error codes stay the same. (Candidates to move into the domain file.)
 */

/** Deactivate, reactivate, delete: only the record's id. */
export const idOnlySchema = v.object({ id: idRef() }, E.required);

/** Editing an account: name, role and scope. Username, password and status have their own forms. */
export const userEditSchema = v.pipe(
	v.object(
		{ id: idRef(), displayName: text(40), role: choice(ROLES), outletId: optionalIdRef(), communityId: optionalIdRef() },
		E.required
	),
	v.forward(
		v.partialCheck([['role'], ['outletId']], (u) => (u.role !== 'field_staff' && u.role !== 'outlet_head') || u.outletId !== null, E.outletRequired),
		['outletId']
	),
	v.forward(
		v.partialCheck([['role'], ['communityId']], (u) => u.role !== 'community_worker' || u.communityId !== null, E.communityRequired),
		['communityId']
	)
);

/** The admin types a temporary password; same rules as at creation (never trimmed, ≥ 10). */
export const passwordResetSchema = v.object(
	{
		id: idRef(),
		password: v.pipe(v.string(E.required), v.maxLength(200, E.tooLong), v.nonEmpty(E.required), v.minLength(10, E.passwordShort))
	},
	E.required
);

/** The catalogue form adds the sort position to the domain's service schema. */
export const serviceCreateSchema = v.object({ ...serviceSchema.entries, sort: intField(0, 9999) }, E.required);
/** The code is the primary key and old requests name it: it cannot change after creation. */
export const serviceEditSchema = v.omit(serviceCreateSchema, ['code']);

export type UserEditInput = v.InferOutput<typeof userEditSchema>;
export type ServiceCreateInput = v.InferOutput<typeof serviceCreateSchema>;
export type ServiceEditInput = v.InferOutput<typeof serviceEditSchema>;
