/*
 * What each workflow event tells whom. Called by the use cases INSIDE their transaction, so a
 * notification exists exactly when its event committed. Parameters are codes, refs, dates and
 * times (translated and formatted when shown); a reason typed by a head is kept, scrubbed of
 * ID and phone numbers (./store.ts). Field staff's rows are also their tablet's notices (pull).
 */
import type { Db } from '$lib/server/repos/common';
import type { VisitRequest } from '$lib/server/repos/requests';
import type { Visit } from '$lib/server/repos/visits';
import type { VisitOutcome } from '$lib/domain/status';
import { admins, fieldStaff, outletHeads, requestCreator } from './recipients';
import { notifyUsers } from './store';
import { cancelReminders, scheduleDayBefore } from '$lib/server/sms/reminders';

type Req = Pick<VisitRequest, 'id' | 'ref' | 'outletId' | 'communityId' | 'createdBy'>;
type Slot = Pick<Visit, 'id' | 'requestId' | 'outletId' | 'date' | 'windowStart' | 'windowEnd' | 'leadStaffId' | 'secondStaffId'>;

const workerLink = (r: Req) => `/requests/${r.id}`;
const headLink = (r: Req) => `/approvals/${r.id}`;
const fieldLink = (v: Slot) => `/field/visits/${v.id}`;
const slotParams = (v: Slot) => ({ date: v.date, start: v.windowStart, end: v.windowEnd });

async function tellTeam(tx: Db, code: 'visit_new' | 'visit_moved' | 'visit_cancelled' | 'visit_sent_back', r: Req, v: Slot, staffIds: string[], now: Date, extra: Record<string, string> = {}) {
	const ids = await fieldStaff(tx, v.outletId, staffIds);
	await notifyUsers(tx, ids, { code, params: { ref: r.ref, ...slotParams(v), ...extra }, link: fieldLink(v), entity: 'visit', entityId: v.id }, now);
}

export async function onSubmitted(tx: Db, r: Req, now: Date): Promise<void> {
	await notifyUsers(tx, await outletHeads(tx, r.outletId), { code: 'request_new', params: { ref: r.ref }, link: headLink(r), entity: 'request', entityId: r.id }, now);
}

export async function onApproved(tx: Db, r: Req, v: Slot, now: Date): Promise<void> {
	await notifyUsers(tx, await requestCreator(tx, r), { code: 'request_approved', params: { ref: r.ref, ...slotParams(v) }, link: workerLink(r), entity: 'request', entityId: r.id }, now);
	await tellTeam(tx, 'visit_new', r, v, [v.leadStaffId, v.secondStaffId], now);
	await scheduleDayBefore(tx, v, now);
}

export async function onReopened(tx: Db, r: Req, v: Slot, now: Date): Promise<void> {
	await notifyUsers(tx, await requestCreator(tx, r), { code: 'request_reopened', params: { ref: r.ref, ...slotParams(v) }, link: workerLink(r), entity: 'request', entityId: r.id }, now);
	await tellTeam(tx, 'visit_new', r, v, [v.leadStaffId, v.secondStaffId], now);
	await scheduleDayBefore(tx, v, now);
}

export async function onRejected(tx: Db, r: Req, reason: string, now: Date): Promise<void> {
	await notifyUsers(tx, await requestCreator(tx, r), { code: 'request_rejected', params: { ref: r.ref, reason }, link: workerLink(r), entity: 'request', entityId: r.id }, now);
}

/** `actorId`: who cancelled (a worker cancelling their own request is not told about it). */
export async function onCancelled(tx: Db, r: Req, v: Slot | null, reason: string, actorId: string, now: Date): Promise<void> {
	const creator = (await requestCreator(tx, r)).filter((id) => id !== actorId);
	await notifyUsers(tx, creator, { code: 'request_cancelled', params: { ref: r.ref, reason }, link: workerLink(r), entity: 'request', entityId: r.id }, now);
	if (v) {
		await tellTeam(tx, 'visit_cancelled', r, v, [v.leadStaffId, v.secondStaffId], now);
		await cancelReminders(tx, v.id, 'visit_cancelled', now);
	}
}

/**
 * A moved visit: the worker hears the new slot; staff on both teams hear "moved", staff only on
 * the new team "new", staff taken off "cancelled". The old slot's pending reminder is
 * cancelled and the new slot's scheduled.
 */
export async function onRescheduled(tx: Db, r: Req, before: Slot, after: Slot, now: Date): Promise<void> {
	await notifyUsers(tx, await requestCreator(tx, r), { code: 'request_rescheduled', params: { ref: r.ref, ...slotParams(after) }, link: workerLink(r), entity: 'request', entityId: r.id }, now);
	const old = new Set([before.leadStaffId, before.secondStaffId]);
	const next = new Set([after.leadStaffId, after.secondStaffId]);
	const moved = [...next].filter((id) => old.has(id));
	const slotChanged = before.date !== after.date || before.windowStart !== after.windowStart || before.windowEnd !== after.windowEnd;
	if (slotChanged) await tellTeam(tx, 'visit_moved', r, after, moved, now, { fromDate: before.date, fromStart: before.windowStart });
	await tellTeam(tx, 'visit_new', r, after, [...next].filter((id) => !old.has(id)), now);
	await tellTeam(tx, 'visit_cancelled', r, before, [...old].filter((id) => !next.has(id)), now);
	if (slotChanged) {
		await cancelReminders(tx, before.id, 'visit_changed', now);
		await scheduleDayBefore(tx, after, now);
	}
}

/** An outcome recorded: the worker hears it; recorded from a tablet, the heads review it. */
export async function onOutcome(tx: Db, r: Req, v: Slot, outcome: VisitOutcome, byFieldStaff: boolean, now: Date): Promise<void> {
	await notifyUsers(tx, await requestCreator(tx, r), { code: 'visit_outcome', params: { ref: r.ref, outcomeCode: `outcome_${outcome}` }, link: workerLink(r), entity: 'request', entityId: r.id }, now);
	if (byFieldStaff) {
		await notifyUsers(tx, await outletHeads(tx, r.outletId), { code: 'evidence_ready', params: { ref: r.ref, outcomeCode: `outcome_${outcome}` }, link: `/approvals/${r.id}/evidence/${v.id}`, entity: 'visit', entityId: v.id }, now);
	}
	await cancelReminders(tx, v.id, 'visit_changed', now);
}

export async function onEvidenceSentBack(tx: Db, r: Req, v: Slot, reason: string, now: Date): Promise<void> {
	await tellTeam(tx, 'visit_sent_back', r, v, [v.leadStaffId, v.secondStaffId], now, { reason });
}

/** A tablet's change the server refused (recorded in sync_mutations) that a head should see. */
export async function onSyncRefused(tx: Db, r: Req | null, visit: Slot | null, reason: string, byName: string, now: Date): Promise<void> {
	if (!visit || !r) return;
	await notifyUsers(tx, await outletHeads(tx, visit.outletId), { code: 'sync_refused', params: { ref: r.ref, reasonCode: reason, name: byName }, link: headLink(r), entity: 'visit', entityId: visit.id }, now);
}

export async function onDeviceRevoked(tx: Db, device: { id: string; label: string }, username: string, now: Date): Promise<void> {
	await notifyUsers(tx, await admins(tx), { code: 'device_revoked', params: { label: device.label, username }, link: '/admin/devices', entity: 'device', entityId: device.id }, now);
}

export async function onDeviceWiped(tx: Db, device: { id: string; label: string }, username: string, unsynced: number, now: Date): Promise<void> {
	await notifyUsers(tx, await admins(tx), { code: 'device_wiped', params: { label: device.label, username, unsynced }, link: '/admin/devices', entity: 'device', entityId: device.id }, now);
}
