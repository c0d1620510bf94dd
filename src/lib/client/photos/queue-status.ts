/*
 * What the photo queue tells the pages (sync bar, photo step, problems page): counts, bytes, the
 * round's progress and each photo without a receipt. Pure, tested with the queue.
 */
import type { LocalPhoto } from '../db';

const waiting = (p: LocalPhoto) => p.status === 'queued' || p.status === 'uploading';

export interface PhotoQueueItem {
	id: string;
	visitId: string;
	kind: LocalPhoto['kind'];
	status: LocalPhoto['status'];
	attempts: number;
	bytes: number;
	lastError: string | null;
}

export interface PhotoQueueStatus {
	online: boolean;
	/** Photos still to upload (queued or in flight). */
	left: number;
	bytesLeft: number;
	/** Photos the server refused (they stay on the tablet, shown with the reason). */
	refused: number;
	uploading: number;
	/** Share of this round's bytes already sent, 0–1 (null when nothing is left). */
	progress: number | null;
	/** A reason why a photo is not up yet (a refusal first), null when none failed. */
	lastError: string | null;
	/** Stopped by a 401 until the next trigger. */
	signedOut: boolean;
	/** Every photo without a receipt, for per-photo status. */
	items: PhotoQueueItem[];
}

/** Pure: the status figures from the photos not uploaded yet and the bytes sent this round. */
export function summarize(
	notUploaded: readonly LocalPhoto[],
	bytesDoneThisRound: number
): Pick<PhotoQueueStatus, 'left' | 'bytesLeft' | 'refused' | 'uploading' | 'progress' | 'items' | 'lastError'> {
	const left = notUploaded.filter(waiting);
	const bytesLeft = left.reduce((n, p) => n + p.bytes, 0);
	const failed = notUploaded.find((p) => p.status === 'refused' && p.lastError) ?? left.find((p) => p.lastError);
	return {
		lastError: failed?.lastError ?? null,
		left: left.length,
		bytesLeft,
		refused: notUploaded.filter((p) => p.status === 'refused').length,
		uploading: notUploaded.filter((p) => p.status === 'uploading').length,
		progress: left.length === 0 ? null : bytesDoneThisRound / (bytesDoneThisRound + bytesLeft),
		items: notUploaded.map(({ id, visitId, kind, status, attempts, bytes, lastError }) => ({ id, visitId, kind, status, attempts, bytes, lastError }))
	};
}
