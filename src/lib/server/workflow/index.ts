/*
 * Request and visit use cases. Each runs in one transaction, checks the actor's role and scope,
 * asks the state machine (`transition()`), bumps `version` and writes the audit log.
 * Refusals are `WorkflowError`s (see ./errors).
 */
export type { Actor } from './context';
export { WorkflowError, WORKFLOW_ERROR_CODES, isWorkflowError, type WorkflowErrorCode } from './errors';
export type { VisitPlan } from './staffing';
export { submitRequest, type SubmitRequestInput, type ResidentInput } from './submit';
export { approveRequest, rejectRequest, cancelRequest, type ApproveInput, type ReasonInput } from './decide';
export {
	rescheduleVisit,
	recordOutcome,
	reopenRequest,
	type RescheduleInput,
	type OutcomeInput,
	type ReopenInput
} from './visit';
export { markProcessed, type ProcessInput } from './process';
export { revealIdNumber } from './reveal';
export { timeline, type TimelineEntry } from './timeline';
export { reviewEvidence, loadEvidenceReviews, REVIEW_DECISIONS, type ReviewDecision, type ReviewInput, type EvidenceReview } from './review';
