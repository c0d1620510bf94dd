/**
 * Request statuses and the request state machine.
 *
 * Every write path on the server calls `transition()` before it changes a request, so the rules
 * below are the single place that decides which moves are legal. Refusals carry a reason *code*
 * (`TransitionError`) that pages translate as `err_transition_<code>`.
 *
 *   submitted ──approve──▶ approved ──record_outcome──▶ completed | not_home | refused | follow_up
 *       │ reject / cancel      │ cancel, reschedule (stays approved)
 *       ▼                      ▼
 *   rejected / cancelled   cancelled
 *   not_home | follow_up ──reopen──▶ approved (a new visit is scheduled)
 *   completed | refused | not_home | follow_up ──process──▶ processed
 *   rejected, cancelled, processed are final.
 */

export const REQUEST_STATUSES = [
	'submitted',
	'approved',
	'rejected',
	'cancelled',
	'completed',
	'not_home',
	'refused',
	'follow_up',
	'processed'
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const VISIT_OUTCOMES = ['completed', 'not_home', 'refused', 'follow_up'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

export const REQUEST_EVENTS = [
	'approve',
	'reject',
	'cancel',
	'reschedule',
	'record_outcome',
	'reopen',
	'process'
] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

export const TRANSITION_ERRORS = [
	'already_decided', // approve/reject on a request that was already decided
	'not_scheduled', // reschedule/record an outcome before the request was approved
	'already_closed', // any event on a final status
	'outcome_required', // record_outcome without a (valid) outcome
	'visit_recorded', // cancel/reschedule/record again after the visit outcome is recorded
	'not_visited', // process/reopen a request that has no visit outcome yet
	'illegal_transition' // anything else the table does not allow
] as const;
export type TransitionError = (typeof TRANSITION_ERRORS)[number];

export type TransitionResult = { ok: true; to: RequestStatus } | { ok: false; reason: TransitionError };

export const FINAL_STATUSES: readonly RequestStatus[] = ['rejected', 'cancelled', 'processed'];

/** 'outcome' means: the target is the outcome recorded by the field team. */
type Target = RequestStatus | 'outcome';
const TABLE: Record<RequestStatus, Partial<Record<RequestEvent, Target>>> = {
	submitted: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
	approved: { cancel: 'cancelled', reschedule: 'approved', record_outcome: 'outcome' },
	not_home: { reopen: 'approved', process: 'processed' },
	follow_up: { reopen: 'approved', process: 'processed' },
	completed: { process: 'processed' },
	refused: { process: 'processed' },
	rejected: {},
	cancelled: {},
	processed: {}
};

export function isRequestStatus(x: unknown): x is RequestStatus {
	return typeof x === 'string' && (REQUEST_STATUSES as readonly string[]).includes(x);
}

export function isVisitOutcome(x: unknown): x is VisitOutcome {
	return typeof x === 'string' && (VISIT_OUTCOMES as readonly string[]).includes(x);
}

export function isFinal(status: RequestStatus): boolean {
	return FINAL_STATUSES.includes(status);
}

/** True for the four statuses that mean "the visit took place and its outcome is recorded". */
export function isOutcomeStatus(status: RequestStatus): status is VisitOutcome {
	return isVisitOutcome(status);
}

export function allowedEvents(status: RequestStatus): RequestEvent[] {
	const row = TABLE[status] ?? {};
	return REQUEST_EVENTS.filter((e) => row[e] !== undefined);
}

export function transition(
	from: RequestStatus,
	event: RequestEvent,
	outcome?: VisitOutcome
): TransitionResult {
	const target = TABLE[from]?.[event];
	if (target === 'outcome') {
		// Checked at run time too: the outcome arrives from a form or a synced tablet.
		return isVisitOutcome(outcome)
			? { ok: true, to: outcome }
			: { ok: false, reason: 'outcome_required' };
	}
	if (target !== undefined) return { ok: true, to: target };
	return { ok: false, reason: refusalReason(from, event) };
}

/** The most specific reason we can give a user for a refused move. */
function refusalReason(from: RequestStatus, event: RequestEvent): TransitionError {
	if (!isRequestStatus(from)) return 'illegal_transition';
	if (isFinal(from)) return 'already_closed';
	if (event === 'approve' || event === 'reject') return 'already_decided';
	if (from === 'submitted') {
		return event === 'reschedule' || event === 'record_outcome' ? 'not_scheduled' : 'not_visited';
	}
	if (from === 'approved') return 'not_visited'; // reopen / process before the visit
	// From an outcome status: cancel / reschedule / record_outcome / (reopen of completed|refused).
	if (event === 'reopen') return 'illegal_transition';
	return 'visit_recorded';
}

export type StatusTone = 'info' | 'teal' | 'amber' | 'success' | 'warning' | 'danger' | 'muted';

export const STATUS_TONE: Record<RequestStatus, StatusTone> = {
	submitted: 'info',
	approved: 'teal',
	completed: 'success',
	not_home: 'warning',
	follow_up: 'warning',
	rejected: 'danger',
	cancelled: 'danger',
	refused: 'danger',
	processed: 'muted'
};

export const NEXT_STEPS = [
	'await_decision',
	'await_visit',
	'await_processing',
	'reschedule_or_close',
	'none'
] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

/** What has to happen next, shown as a hint on request cards (`next_<code>`). */
export function nextStep(status: RequestStatus): NextStep {
	switch (status) {
		case 'submitted':
			return 'await_decision';
		case 'approved':
			return 'await_visit';
		case 'completed':
		case 'refused':
			return 'await_processing';
		case 'not_home':
		case 'follow_up':
			return 'reschedule_or_close';
		default:
			return 'none';
	}
}
