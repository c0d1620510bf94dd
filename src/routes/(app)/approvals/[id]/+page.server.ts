import { redirect, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { acceptEvidenceSchema, approveSchema, cancelSchema, sendBackEvidenceSchema, outcomeSchema, rejectSchema, rescheduleSchema } from '$lib/domain/schemas';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { Db } from '$lib/server/repos/common';
import type { SessionUser } from '$lib/server/auth/types';
import { formAction } from '$lib/server/http/action';
import { formVersion } from '$lib/server/http/form';
import { requestDetail } from '$lib/server/views/request-detail';
import { teamOptions } from '$lib/server/views/team';
import { loadSlotSuggestions, parseSlotParam } from '$lib/server/planning/suggest-loader';
import { evidenceContext, visitEvidence } from '$lib/server/views/visit-evidence';
import { progressIsLive, requestProgress } from '$lib/server/views/visit-progress';
import { config } from '$lib/server/config';
import { pageTileSource } from '$lib/server/map/page-source';
import { localDate } from '$lib/domain/calendar';
import { deliveryLog } from '$lib/server/views/delivery-log';
import {
	approveRequest,
	cancelRequest,
	markProcessed,
	recordOutcome,
	rejectRequest,
	reopenRequest,
	rescheduleVisit,
	revealIdNumber,
	reviewEvidence
} from '$lib/server/workflow';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'outlet_head');
	const db = await getDb();
	const detail = await requestDetail(db, user, event.params.id, getLocale());
	const pin = detail.resident ? { lat: detail.resident.lat, lng: detail.resident.lng } : null;
	const [staff, evidence, slots, progress, delivery] = await Promise.all([
		teamOptions(db, user.outletId ?? ''),
		visitEvidence(db, user, await evidenceContext(db, detail, user.outletId ?? '')),
		loadSlotSuggestions(db, user, detail.request.id),
		requestProgress(db, detail.request.id, detail.request.services.map((s) => s.code), pin),
		deliveryLog(db, detail.request.id)
	]);
	const { tileUrl, tileAttribution } = config();
	const live = progressIsLive(progress, detail.visit?.date ?? null, localDate(new Date().toISOString()));
	return { ...detail, staff, evidence, slots, delivery, pickedSlot: parseSlotParam(event.url.searchParams.get('slot')), progress, live, map: { tileUrl, attribution: tileAttribution, source: pageTileSource() } };
};

const empty = v.object({});
type Schema = v.GenericSchema<unknown, unknown>;
type Run<S extends Schema> = (db: Db, user: SessionUser, id: string, input: v.InferOutput<S>, version: number | undefined) => Promise<unknown>;

/** An outlet head's action on this request: parse, run the use case, come back to the page. */
function headAction<S extends Schema>(action: string, schema: S, run: Run<S>) {
	return async (event: RequestEvent<{ id: string }>) => {
		const r = await formAction(event, { action, roles: ['outlet_head'], schema }, (db, user, input, raw) =>
			run(db, user, event.params.id, input, formVersion(raw))
		);
		if (!r.ok) return r.failure;
		redirect(303, `/approvals/${event.params.id}?done=${action}`);
	};
}

export const actions: Actions = {
	approve: headAction('approve', approveSchema, (db, u, id, input, version) => approveRequest(db, u, id, { ...input, version })),
	reject: headAction('reject', rejectSchema, (db, u, id, input, version) => rejectRequest(db, u, id, { ...input, version })),
	cancel: headAction('cancel', cancelSchema, (db, u, id, input, version) => cancelRequest(db, u, id, { ...input, version })),
	reschedule: headAction('reschedule', rescheduleSchema, (db, u, id, input, version) => rescheduleVisit(db, u, id, { ...input, version })),
	reopen: headAction('reopen', approveSchema, (db, u, id, input, version) => reopenRequest(db, u, id, { ...input, version })),
	outcome: headAction('outcome', outcomeSchema, (db, u, id, input, version) => recordOutcome(db, u, id, { ...input, version })),
	evidence_accept: headAction('evidence_accept', acceptEvidenceSchema, (db, u, id, input) =>
		reviewEvidence(db, u, id, { visitId: input.visitId, decision: 'accepted' })
	),
	evidence_send_back: headAction('evidence_send_back', sendBackEvidenceSchema, (db, u, id, input) =>
		reviewEvidence(db, u, id, { visitId: input.visitId, decision: 'sent_back', reason: input.reason })
	),
	process: headAction('process', empty, (db, u, id, _input, version) => markProcessed(db, u, id, { version })),
	reveal: async (event) => {
		const schema = v.object({ residentId: v.pipe(v.string(), v.maxLength(64)) });
		const r = await formAction(event, { action: 'reveal', roles: ['outlet_head'], schema }, (db, user, input) =>
			revealIdNumber(db, user, input.residentId, event.params.id)
		);
		if (!r.ok) return r.failure;
		// Shown once in the response; never stored in the page data or a cache.
		return { action: 'reveal', revealed: r.result.idNumber };
	}
};
