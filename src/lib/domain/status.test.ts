import { describe, expect, it } from 'vitest';
import {
	FINAL_STATUSES,
	REQUEST_EVENTS,
	REQUEST_STATUSES,
	STATUS_TONE,
	VISIT_OUTCOMES,
	allowedEvents,
	isFinal,
	nextStep,
	transition,
	type RequestEvent,
	type RequestStatus
} from './status';

// The complete legal table, written out independently of the implementation.
const LEGAL: [RequestStatus, RequestEvent, RequestStatus][] = [
	['submitted', 'approve', 'approved'],
	['submitted', 'reject', 'rejected'],
	['submitted', 'cancel', 'cancelled'],
	['approved', 'cancel', 'cancelled'],
	['approved', 'reschedule', 'approved'],
	['not_home', 'reopen', 'approved'],
	['not_home', 'process', 'processed'],
	['follow_up', 'reopen', 'approved'],
	['follow_up', 'process', 'processed'],
	['completed', 'process', 'processed'],
	['refused', 'process', 'processed']
];

describe('transition', () => {
	it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
		expect(transition(from, event)).toEqual({ ok: true, to });
	});

	it.each(VISIT_OUTCOMES)('approved --record_outcome(%s)--> %s', (outcome) => {
		expect(transition('approved', 'record_outcome', outcome)).toEqual({ ok: true, to: outcome });
	});

	it('needs an outcome to record one', () => {
		expect(transition('approved', 'record_outcome')).toEqual({ ok: false, reason: 'outcome_required' });
		// e.g. from a synced tablet with a bad value
		expect(transition('approved', 'record_outcome', 'processed' as never)).toEqual({
			ok: false,
			reason: 'outcome_required'
		});
	});

	it('refuses every move not in the table', () => {
		for (const from of REQUEST_STATUSES) {
			for (const event of REQUEST_EVENTS) {
				const legal = LEGAL.some(([f, e]) => f === from && e === event) || (from === 'approved' && event === 'record_outcome');
				const r = transition(from, event, 'completed');
				expect(r.ok, `${from} ${event}`).toBe(legal);
			}
		}
	});

	it.each([
		['rejected', 'approve', 'already_closed'],
		['cancelled', 'cancel', 'already_closed'],
		['processed', 'reopen', 'already_closed'],
		['approved', 'approve', 'already_decided'],
		['approved', 'reject', 'already_decided'],
		['completed', 'reject', 'already_decided'],
		['submitted', 'reschedule', 'not_scheduled'],
		['submitted', 'record_outcome', 'not_scheduled'],
		['submitted', 'process', 'not_visited'],
		['approved', 'process', 'not_visited'],
		['approved', 'reopen', 'not_visited'],
		['completed', 'cancel', 'visit_recorded'],
		['not_home', 'reschedule', 'visit_recorded'],
		['follow_up', 'record_outcome', 'visit_recorded'],
		['completed', 'reopen', 'illegal_transition'],
		['refused', 'reopen', 'illegal_transition']
	] as const)('%s --%s--> refused with %s', (from, event, reason) => {
		expect(transition(from, event, 'completed')).toEqual({ ok: false, reason });
	});
});

describe('allowedEvents / isFinal', () => {
	it('lists exactly the legal events', () => {
		expect(allowedEvents('submitted')).toEqual(['approve', 'reject', 'cancel']);
		expect(allowedEvents('approved')).toEqual(['cancel', 'reschedule', 'record_outcome']);
		expect(allowedEvents('not_home')).toEqual(['reopen', 'process']);
		expect(allowedEvents('follow_up')).toEqual(['reopen', 'process']);
		expect(allowedEvents('completed')).toEqual(['process']);
		expect(allowedEvents('refused')).toEqual(['process']);
		for (const s of FINAL_STATUSES) expect(allowedEvents(s)).toEqual([]);
	});

	it('agrees with transition()', () => {
		for (const s of REQUEST_STATUSES) {
			for (const e of allowedEvents(s)) expect(transition(s, e, 'not_home').ok).toBe(true);
		}
	});

	it('knows the final statuses', () => {
		expect(REQUEST_STATUSES.filter(isFinal)).toEqual(['rejected', 'cancelled', 'processed']);
	});
});

describe('STATUS_TONE / nextStep', () => {
	it('colours statuses', () => {
		expect(STATUS_TONE).toEqual({
			submitted: 'info',
			approved: 'teal',
			completed: 'success',
			not_home: 'warning',
			follow_up: 'warning',
			rejected: 'danger',
			cancelled: 'danger',
			refused: 'danger',
			processed: 'muted'
		});
	});

	it('names the next step', () => {
		expect(REQUEST_STATUSES.map(nextStep)).toEqual([
			'await_decision',
			'await_visit',
			'none',
			'none',
			'await_processing',
			'reschedule_or_close',
			'await_processing',
			'reschedule_or_close',
			'none'
		]);
	});
});
