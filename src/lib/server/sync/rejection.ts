import type { RejectReason } from '$lib/client/sync/protocol';
import { isWorkflowError } from '$lib/server/workflow/errors';

/**
 * A definitive "no" to one mutation: recorded with its id, so a replay hears the same answer.
 * (WorkflowErrors from the use cases are definitive too; see `rejectionReason`.)
 */
export class SyncRejection extends Error {
	readonly reason: RejectReason;
	constructor(reason: RejectReason) {
		super(reason);
		this.name = 'SyncRejection';
		this.reason = reason;
	}
}

export function reject(reason: RejectReason): never {
	throw new SyncRejection(reason);
}

/** The reason code of a definitive refusal, or null for anything else (retried later). */
export function rejectionReason(err: unknown): RejectReason | null {
	if (err instanceof SyncRejection) return err.reason;
	if (isWorkflowError(err)) return err.code;
	return null;
}

/** A write lost a race with another writer of the same record: try the mutation again later. */
export class RetryLater extends Error {
	constructor(what: string) {
		super(`concurrent update of ${what}`);
		this.name = 'RetryLater';
	}
}
