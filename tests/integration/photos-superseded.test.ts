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
import type { Db } from '$lib/server/repos/common';
import type { Visit } from '$lib/server/repos/visits';
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

	/**
	 * Uploads like PUT /api/photos/{id} does (the HTTP layer is photos-upload.test.ts' subject);
	 * `bodyArrived` lets a test hold the body back after the checks that precede it.
	 */
	async function upload(user: SessionUser, visitId: string, kind: PhotoKind, bytes: Uint8Array, bodyArrived: () => Promise<void> = async () => {}) {
		const id = randomUUID();
		const headers = new Headers({ [PHOTO_HEADERS.sha256]: sha256(bytes), [PHOTO_HEADERS.visitId]: visitId, [PHOTO_HEADERS.kind]: kind, [PHOTO_HEADERS.takenAt]: new Date().toISOString() });
		const readBody = async () => (await bodyArrived(), bytes);
		const { receipt } = await uploadPhoto(t.db, storage, user, { id, headers, declaredBytes: bytes.byteLength, readBody });
		return { id, kind, sha256: receipt.sha256, bytes: receipt.bytes, takenAt: new Date().toISOString(), position: null };
	}

	/** Pushes `user`'s tablet's `visit.complete` with `photos` as its manifest. */
	async function complete(db: Db, user: SessionUser, visit: Visit, photos: Awaited<ReturnType<typeof upload>>[], team: string[]) {
		const payload = {
			photos,
			outcome: 'completed' as const,
			note: '已办理',
			visitedAt: new Date(Date.now() - 60_000).toISOString(),
			consent: { consentBy: 'resident' as const, name: '测试老人', relation: null, consentVersion: CURRENT_CONSENT_VERSION, consentHash: await consentHash(CURRENT_CONSENT_VERSION), signature: 'data:image/png;base64,iVBORw0KGgo=', signedAt: new Date().toISOString() },
			confirmedBy: team
		};
		const mutation = { id: randomUUID(), type: 'visit.complete', entityId: visit.id, baseVersion: visit.version, payload, createdAt: new Date().toISOString(), deviceId: 'dev-superseded' };
		return pushMutations(db, { user, deviceId: 'dev-superseded', now: new Date() }, [mutation]);
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

		const res = await complete(t.db, staff1, visit, kept, [s1.id, s2.id]);
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

	it('refuses a retake that the completion overtakes during its upload, also in the same instant, and removes its bytes', async () => {
		const [worker, head, s1, s2] = await Promise.all(['worker1', 'head1', 'staff1', 'staff2'].map((u) => actor(t.db, u)));
		const staff1 = await sessionUserOf(t.db, 'staff1');
		const required = ['id_front', 'id_back', 'staff_with_customer', 'signed_document'] as const;
		const scheduleVisit = async () => {
			const request = await submitRequest(t.db, worker, newRequestInput());
			return (await approveRequest(t.db, head, request.id, freshSlot(s1.id, s2.id))).visit;
		};
		const photosLeftOf = async (visitId: string) => (await t.db.selectFrom('photos').select('id').where('visit_id', '=', visitId).execute()).map((r) => r.id);

		// 1. The body is still arriving (checks passed) when the completion is applied.
		const first = await scheduleVisit();
		const kept = await Promise.all(required.map((k) => upload(staff1, first.id, k, jpegVariant(`race kept ${k} ${first.id}`))));
		const retake = jpegVariant(`race retake ${first.id}`);
		let bodyArrives!: () => void;
		const slowBody = new Promise<void>((resolve) => (bodyArrives = resolve));
		let bodyRequested!: () => void;
		const bodyStarted = new Promise<void>((resolve) => (bodyRequested = resolve));
		const uploading = upload(staff1, first.id, 'id_front', retake, () => (bodyRequested(), slowBody));
		await bodyStarted;
		expect((await complete(t.db, staff1, first, kept, [s1.id, s2.id])).results.map((r) => r.status)).toEqual(['applied']);
		bodyArrives();
		await expect(uploading).rejects.toMatchObject({ code: 'superseded', status: 409 });
		expect((await photosLeftOf(first.id)).sort()).toEqual(kept.map((p) => p.id).sort());
		expect(await storage.has(sha256(retake))).toBe(false);

		// 2. The completion's transaction is still open when the upload comes to store its row:
		// the upload waits for it, then sees it.
		const second = await scheduleVisit();
		const kept2 = await Promise.all(required.map((k) => upload(staff1, second.id, k, jpegVariant(`race2 kept ${k} ${second.id}`))));
		const retake2 = jpegVariant(`race2 retake ${second.id}`);
		let settledWhileOpen = false;
		let late: Promise<unknown> | null = null;
		await t.db.transaction().execute(async (tx) => {
			expect((await complete(tx, staff1, second, kept2, [s1.id, s2.id])).results.map((r) => r.status)).toEqual(['applied']);
			late = upload(staff1, second.id, 'id_front', retake2).finally(() => (settledWhileOpen = true));
			late.catch(() => {}); // observed below, after the commit
			await new Promise((resolve) => setTimeout(resolve, 400));
			expect(settledWhileOpen).toBe(false);
		});
		await expect(late).rejects.toMatchObject({ code: 'superseded', status: 409 });
		expect((await photosLeftOf(second.id)).sort()).toEqual(kept2.map((p) => p.id).sort());
		expect(await storage.has(sha256(retake2))).toBe(false);
	});
});
