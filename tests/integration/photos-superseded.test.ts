/*
 * Photos the team replaced or deleted on the tablet after uploading them (privacy: not kept):
 * when the visit's completion is applied, every photo the completing user uploaded for the visit
 * that is not in its manifest loses its row (audited) in the same transaction, and its stored
 * object is removed afterwards unless another photo still has the same bytes. Photos of the
 * manifest, and the other team member's, stay, bytes included.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consentHash, CURRENT_CONSENT_VERSION } from '$lib/domain/consent';
import { PHOTO_HEADERS, type PhotoKind } from '$lib/domain/photos';
import type { SessionUser } from '$lib/server/auth/types';
import { drainPhotoDeletions } from '$lib/server/photos/superseded';
import { uploadPhoto } from '$lib/server/photos/upload';
import { listAuditForEntity } from '$lib/server/repos/audit';
import { pushMutations } from '$lib/server/sync/push';
import { approveRequest, reviewEvidence, submitRequest } from '$lib/server/workflow';
import { actor, freshSlot, newRequestInput, seedDemo, sessionUserOf } from './fixtures';
import { jpegVariant, sha256, tempPhotoStorage } from './photo-fixtures';
import { DIALECTS, skipReason, useTestDatabase } from './test-db';

describe.each(DIALECTS)('superseded photos on %s', (dialect) => {
	const reason = skipReason(dialect);
	if (reason) {
		it.skip(`skipped: ${reason}`, () => {});
		return;
	}
	const t = useTestDatabase(dialect, seedDemo);
	const storage = tempPhotoStorage('doorstep-superseded-');

	/** Uploads like PUT /api/photos/{id} does (the HTTP layer is photos-upload.test.ts' subject). */
	async function upload(user: SessionUser, visitId: string, kind: PhotoKind, bytes: Uint8Array) {
		const id = randomUUID();
		const headers = new Headers({ [PHOTO_HEADERS.sha256]: sha256(bytes), [PHOTO_HEADERS.visitId]: visitId, [PHOTO_HEADERS.kind]: kind, [PHOTO_HEADERS.takenAt]: new Date().toISOString() });
		const { receipt } = await uploadPhoto(t.db, storage, user, { id, headers, declaredBytes: bytes.byteLength, readBody: async () => bytes });
		return { id, kind, sha256: receipt.sha256, bytes: receipt.bytes, takenAt: new Date().toISOString(), position: null };
	}

	it('drops the photos left out of the completion’s manifest, rows then objects, and keeps the rest', async () => {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const request = await submitRequest(t.db, worker, newRequestInput());
		const { visit } = await approveRequest(t.db, head, request.id, freshSlot(s1.id, s2.id));
		const staff1 = await sessionUserOf(t.db, 'staff1');
		const staff2 = await sessionUserOf(t.db, 'staff2');

		const kept = await Promise.all((['id_front', 'id_back', 'staff_with_customer', 'signed_document'] as const).map((k) => upload(staff1, visit.id, k, jpegVariant(`kept ${k} ${visit.id}`))));
		// The first ID photo was blurred: retaken on the tablet after its upload.
		const blurred = await upload(staff1, visit.id, 'id_front', jpegVariant(`blurred ${visit.id}`));
		// An "other" photo deleted on the tablet whose bytes equal a kept photo's (content-addressed).
		const sameBytes = await upload(staff1, visit.id, 'other', jpegVariant(`kept signed_document ${visit.id}`));
		expect(sameBytes.sha256).toBe(kept[3].sha256);
		// The other team member's tablet took a photo too: not in this tablet's manifest, it stays.
		const colleagues = await upload(staff2, visit.id, 'other', jpegVariant(`colleague ${visit.id}`));

		const payload = {
			photos: kept,
			outcome: 'completed' as const,
			note: '已办理',
			visitedAt: new Date(Date.now() - 60_000).toISOString(),
			consent: { consentBy: 'resident' as const, name: '测试老人', relation: null, consentVersion: CURRENT_CONSENT_VERSION, consentHash: await consentHash(CURRENT_CONSENT_VERSION), signature: 'data:image/png;base64,iVBORw0KGgo=', signedAt: new Date().toISOString() },
			confirmedBy: [s1.id, s2.id]
		};
		const res = await pushMutations(t.db, { user: staff1, deviceId: 'dev-superseded', now: new Date() }, [{ id: randomUUID(), type: 'visit.complete', entityId: visit.id, baseVersion: visit.version, payload, createdAt: new Date().toISOString(), deviceId: 'dev-superseded' }]);
		expect(res.results.map((r) => r.status)).toEqual(['applied']);

		const rows = await t.db.selectFrom('photos').select(['id']).where('visit_id', '=', visit.id).execute();
		expect(rows.map((r) => r.id).sort()).toEqual([...kept, colleagues].map((p) => p.id).sort());
		const audit = (await listAuditForEntity(t.db, 'visit', visit.id)).filter((e) => e.action === 'photo_superseded');
		expect(audit).toHaveLength(1);
		const byId = (a: { photoId: string }, b: { photoId: string }) => a.photoId.localeCompare(b.photoId);
		expect([...(audit[0].details as { photos: { photoId: string; kind: string }[] }).photos].sort(byId)).toEqual(
			[{ photoId: blurred.id, kind: 'id_front' }, { photoId: sameBytes.id, kind: 'other' }].sort(byId)
		);

		// Until the drain, the objects are still there; then only the one no row points at goes.
		expect(await storage.has(blurred.sha256)).toBe(true);
		expect(await drainPhotoDeletions(t.db, storage)).toBe(1);
		expect(await storage.has(blurred.sha256)).toBe(false);
		for (const p of [...kept, colleagues]) expect(await storage.has(p.sha256), p.kind).toBe(true);
		expect(await t.db.selectFrom('photo_deletions').selectAll().execute()).toEqual([]);
		expect(await drainPhotoDeletions(t.db, storage)).toBe(0);

		// A retake whose upload was still under way arrives after the completion: refused, nothing
		// stored; the colleague may still add theirs; after a send-back the team may add photos.
		const late = jpegVariant(`late ${visit.id}`);
		await expect(upload(staff1, visit.id, 'id_front', late)).rejects.toMatchObject({ code: 'superseded', status: 409 });
		expect(await storage.has(sha256(late))).toBe(false);
		await upload(staff2, visit.id, 'other', jpegVariant(`colleague later ${visit.id}`));
		await reviewEvidence(t.db, head, request.id, { visitId: visit.id, decision: 'sent_back', reason: '人像面模糊，请补拍' });
		expect((await upload(staff1, visit.id, 'id_front', late)).sha256).toBe(sha256(late));
	});
});
