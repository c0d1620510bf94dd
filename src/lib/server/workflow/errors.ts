import type { TransitionError } from '$lib/domain/status';

/*
 * Use-case refusals. `code` is a message key the pages translate (messages/*.json);
 * `status` is the HTTP status a route returns with `fail(status, …)` or `error(status, …)`.
 */

export const WORKFLOW_ERROR_CODES = [
	// 403: the actor may not do this (role or scope)
	'err_forbidden',
	'err_cancel_needs_outlet',
	// 404
	'err_not_found',
	// 409: the request changed, or the move does not fit its state
	'err_version_conflict',
	'err_staff_busy',
	'err_transition_already_decided',
	'err_transition_not_scheduled',
	'err_transition_already_closed',
	'err_transition_outcome_required',
	'err_transition_visit_recorded',
	'err_transition_not_visited',
	'err_transition_illegal_transition',
	// 400: the input is wrong
	'err_same_staff',
	'err_staff_not_in_outlet',
	'err_invalid_window',
	'err_window_in_past',
	'err_windows_required',
	'err_services_required',
	'err_unknown_service',
	'err_reason_required',
	'err_consent_version',
	'err_consent_relation',
	'err_consent_name',
	'err_resident_required',
	'err_resident_name',
	'err_resident_phone',
	'err_resident_address',
	'err_resident_mobility',
	'err_resident_place_type',
	'err_resident_id_empty',
	'err_resident_id_length',
	'err_resident_id_format',
	'err_resident_id_birth_date',
	'err_resident_id_check_digit',
	'err_urgency',
	'err_community_inactive',
	'err_visit_not_recorded',
	'err_evidence_photos_waiting',
	'err_review_decision',
	'err_reminder_recipient',
	'err_reminder_contact_phone'
] as const;
export type WorkflowErrorCode = (typeof WORKFLOW_ERROR_CODES)[number];

export type WorkflowErrorStatus = 400 | 403 | 404 | 409;

export class WorkflowError extends Error {
	readonly code: WorkflowErrorCode;
	readonly status: WorkflowErrorStatus;

	constructor(code: WorkflowErrorCode, status: WorkflowErrorStatus) {
		super(code);
		this.name = 'WorkflowError';
		this.code = code;
		this.status = status;
	}
}

export const forbidden = (code: WorkflowErrorCode = 'err_forbidden') => new WorkflowError(code, 403);
export const notFound = () => new WorkflowError('err_not_found', 404);
export const conflict = (code: WorkflowErrorCode = 'err_version_conflict') => new WorkflowError(code, 409);
export const invalid = (code: WorkflowErrorCode) => new WorkflowError(code, 400);

/** A state-machine refusal: the request is not in a state that allows the move. */
export const refusedTransition = (reason: TransitionError) =>
	new WorkflowError(`err_transition_${reason}`, 409);

export function isWorkflowError(err: unknown): err is WorkflowError {
	return err instanceof WorkflowError;
}
