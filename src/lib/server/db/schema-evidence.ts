/** Tables of a visit's evidence (photos, the head's review), kept apart from schema.ts to keep it small. */

/** An identity-verification photo the server holds; its bytes are in the photo storage under `sha256`. */
export interface PhotosTable {
	/** The tablet's UUID: the upload's idempotency key. */
	id: string;
	visit_id: string;
	request_id: string | null;
	kind: string;
	sha256: string;
	bytes: number;
	width: number;
	height: number;
	taken_at: string;
	lat: number | null;
	lng: number | null;
	accuracy_m: number | null;
	uploaded_by: string;
	received_at: string;
}

/** The outlet head's latest review of a visit's evidence (migration 006_evidence_review). */
export interface EvidenceReviewsTable {
	visit_id: string;
	status: 'accepted' | 'sent_back';
	reason: string | null;
	reviewed_by: string;
	reviewed_at: string;
}
