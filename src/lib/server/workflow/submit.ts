import { localDate } from '$lib/domain/calendar';
import { CONSENT_BY, consentHash, CURRENT_CONSENT_VERSION, type ConsentBy } from '$lib/domain/consent';
import { validateResidentId } from '$lib/domain/resident-id';
import { MOBILITY, PLACE_TYPES, URGENCY, type Mobility, type PlaceType, type Urgency } from '$lib/domain/services';
import { recordAudit } from '$lib/server/audit';
import { getCommunity } from '$lib/server/repos/communities';
import { newId, type Db } from '$lib/server/repos/common';
import { nextCounterValue } from '$lib/server/repos/counters';
import { insertRequest, type TimeWindow, type VisitRequest } from '$lib/server/repos/requests';
import {
	createResident,
	findResidentByIdNumber,
	getResident,
	updateResident,
	type Resident
} from '$lib/server/repos/residents';
import { listServices } from '$lib/server/repos/services';
import { inTransaction, type Actor, type Tx } from './context';
import { forbidden, invalid } from './errors';
import { checkWindow } from './staffing';
import { isReminderRecipient, type ReminderRecipient } from '$lib/domain/reminders';
import { recordReminderConsent } from '$lib/server/sms/reminders';
import { onSubmitted } from '$lib/server/notify/events';

/** A resident typed into the form (new, or an update of one found by ID number). */
export interface ResidentInput {
	name: string;
	phone: string;
	idNumber: string;
	address: string;
	/** Sub-district; defaults to the community's. */
	district?: string | null;
	lat?: number | null;
	lng?: number | null;
	mobility: Mobility;
	placeType: PlaceType;
	contactName?: string | null;
	contactPhone?: string | null;
	contactRelation?: string | null;
}

export interface SubmitRequestInput {
	/** An existing resident of the worker's community… */
	residentId?: string | null;
	/** …or the typed resident (reused when the ID number is already known in the community). */
	resident?: ResidentInput | null;
	services: string[];
	urgency: Urgency;
	windows: TimeWindow[];
	notes?: string | null;
	consent: { by: ConsentBy; name: string; relation?: string | null; version: string };
	/** SMS reminders opted into with the consent: to whose number (null/absent: none). */
	reminders?: { recipient: ReminderRecipient } | null;
}

const MAX_WINDOWS = 5;
const PHONE = /^[0-9+\- ]{5,20}$/;

function checkResidentInput(input: ResidentInput, today: string): ResidentInput {
	const id = validateResidentId(input.idNumber, today);
	if (!id.ok) throw invalid(`err_resident_id_${id.reason}`);
	if (!input.name?.trim()) throw invalid('err_resident_name');
	if (!PHONE.test(input.phone?.trim() ?? '')) throw invalid('err_resident_phone');
	if (!input.address?.trim()) throw invalid('err_resident_address');
	if (!MOBILITY.includes(input.mobility)) throw invalid('err_resident_mobility');
	if (!PLACE_TYPES.includes(input.placeType)) throw invalid('err_resident_place_type');
	return { ...input, idNumber: id.value, name: input.name.trim(), phone: input.phone.trim(), address: input.address.trim() };
}

async function checkRequestInput(tx: Tx, input: SubmitRequestInput, now: Date): Promise<void> {
	if (!URGENCY.includes(input.urgency)) throw invalid('err_urgency');
	if (!input.services?.length) throw invalid('err_services_required');
	const active = new Set((await listServices(tx, { activeOnly: true })).map((s) => s.code));
	if (input.services.some((code) => !active.has(code))) throw invalid('err_unknown_service');
	if (!input.windows?.length || input.windows.length > MAX_WINDOWS) throw invalid('err_windows_required');
	for (const w of input.windows) checkWindow(w, now);
	const { consent } = input;
	if (consent.version !== CURRENT_CONSENT_VERSION) throw invalid('err_consent_version');
	if (!CONSENT_BY.includes(consent.by) || !consent.name?.trim()) throw invalid('err_consent_name');
	// A guardian or agent consents for someone else: how they are related must be on record.
	if (consent.by !== 'resident' && !consent.relation?.trim()) throw invalid('err_consent_relation');
}

/** The resident to attach: given by id, found by ID number in the community, or created. */
async function residentFor(tx: Tx, actor: Actor, communityId: string, district: string, input: SubmitRequestInput, now: Date): Promise<{ resident: Resident; created: boolean }> {
	if (input.residentId) {
		const existing = await getResident(tx, input.residentId);
		if (!existing || existing.communityId !== communityId) throw forbidden();
		return { resident: existing, created: false };
	}
	if (!input.resident) throw invalid('err_resident_required');
	const typed = checkResidentInput(input.resident, localDate(now.toISOString()));
	const fields = {
		name: typed.name,
		phone: typed.phone,
		idNumber: typed.idNumber,
		address: typed.address,
		district: typed.district?.trim() || district,
		lat: typed.lat ?? null,
		lng: typed.lng ?? null,
		mobility: typed.mobility,
		placeType: typed.placeType,
		contactName: typed.contactName?.trim() || null,
		contactPhone: typed.contactPhone?.trim() || null,
		contactRelation: typed.contactRelation?.trim() || null
	};
	const known = await findResidentByIdNumber(tx, communityId, typed.idNumber);
	if (known) {
		// The worker has just checked these details with the resident: they are the newest.
		await updateResident(tx, known.id, fields);
		return { resident: { ...known, ...fields }, created: false };
	}
	const resident = await createResident(tx, { ...fields, communityId, createdBy: actor.id }, now);
	return { resident, created: true };
}

/** `R` + YYMM (Asia/Shanghai) + `-` + a per-month number: `R2611-0042`. */
async function nextRef(tx: Tx, now: Date): Promise<string> {
	const ymd = localDate(now.toISOString());
	const prefix = `R${ymd.slice(2, 4)}${ymd.slice(5, 7)}`;
	const n = await nextCounterValue(tx, `request_ref:${prefix}`);
	return `${prefix}-${String(n).padStart(4, '0')}`;
}

/**
 * A community worker asks for a home visit for a resident of their own community, with the
 * consent given (by whom, in what capacity, which text version) recorded on the request.
 */
export function submitRequest(
	db: Db,
	actor: Actor,
	input: SubmitRequestInput,
	now: Date = new Date()
): Promise<VisitRequest> {
	return inTransaction(db, async (tx) => {
		if (actor.role !== 'community_worker' || !actor.communityId) throw forbidden();
		const community = await getCommunity(tx, actor.communityId);
		if (!community) throw forbidden();
		if (!community.active) throw invalid('err_community_inactive');
		await checkRequestInput(tx, input, now);

		const { resident, created } = await residentFor(tx, actor, community.id, community.district, input, now);
		const reminderTo = input.reminders?.recipient ?? null;
		if (reminderTo !== null && !isReminderRecipient(reminderTo)) throw invalid('err_reminder_recipient');
		if (reminderTo === 'contact' && !resident.contactPhone?.trim()) throw invalid('err_reminder_contact_phone');
		const at = now.toISOString();
		const request = await insertRequest(tx, {
			id: newId(),
			ref: await nextRef(tx, now),
			communityId: community.id,
			outletId: community.outletId,
			residentId: resident.id,
			createdBy: actor.id,
			status: 'submitted',
			urgency: input.urgency,
			services: [...new Set(input.services)],
			windows: input.windows.map(({ date, start, end }) => ({ date, start, end })),
			notes: input.notes?.trim() ?? '',
			consentBy: input.consent.by,
			consentName: input.consent.name.trim(),
			consentRelation: input.consent.by === 'resident' ? null : input.consent.relation?.trim() || null,
			consentVersion: input.consent.version,
			consentHash: await consentHash(input.consent.version),
			consentAt: at,
			consentRecordedBy: actor.id,
			createdAt: at
		});
		if (created) {
			await recordAudit(tx, { actorId: actor.id, action: 'resident_create', entity: 'resident', entityId: resident.id, outletId: community.outletId, at: now });
		}
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'submit',
			entity: 'request',
			entityId: request.id,
			outletId: request.outletId,
			at: now,
			details: {
				ref: request.ref,
				services: request.services,
				urgency: request.urgency,
				consentBy: request.consentBy,
				consentVersion: request.consentVersion,
				residentCreated: created,
				reminders: reminderTo
			}
		});
		if (reminderTo) await recordReminderConsent(tx, request.id, reminderTo, actor.id, now);
		await onSubmitted(tx, request, now);
		return request;
	});
}
