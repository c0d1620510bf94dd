import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { makeResidentId } from './resident-id';
import {
	approveSchema,
	calendarDaySchema,
	cancelSchema,
	communitySchema,
	fieldErrors,
	loginSchema,
	newRequestSchema,
	outcomeSchema,
	outletSchema,
	rejectSchema,
	rescheduleSchema,
	residentSchema,
	serviceSchema,
	userCreateSchema,
	userEditSchema,
	passwordResetSchema
} from './schemas';

/** Parse and return either the output or the field → code map. */
function run<S extends v.GenericSchema>(schema: S, input: unknown) {
	const r = v.safeParse(schema, input);
	return r.success ? { ok: true as const, out: r.output as v.InferOutput<S> } : { ok: false as const, errors: fieldErrors(r.issues) };
}
const errors = (schema: v.GenericSchema, input: unknown) => {
	const r = run(schema, input);
	return r.ok ? {} : r.errors;
};

const ID = makeResidentId('330109', '1940-03-05', '124');
const RESIDENT = {
	name: '王秀英',
	phone: '13812341234',
	idNumber: ID,
	address: '萧山区城厢街道人民路1号',
	district: '萧山区',
	mobility: 'bedridden',
	placeType: 'home'
};
const WINDOWS = [
	{ date: '2026-12-01', start: '09:00', end: '11:00' },
	{ date: '2026-12-02', start: '14:00', end: '16:00' }
];
const REQUEST = {
	residentId: 'res-1',
	services: ['pin_reset', 'ss_card_activation'],
	windows: WINDOWS,
	urgency: 'urgent',
	notes: ' 卧床，需提前电话联系 ',
	consentBy: 'resident',
	consentName: '王秀英',
	consentAgreed: true
};

describe('residentSchema', () => {
	it('normalises a valid resident', () => {
		const r = run(residentSchema, { ...RESIDENT, name: ' 王秀英 ', phone: '138 1234 1234', idNumber: ` ${ID.toLowerCase()} `, lat: '30.18', lng: 120.26, contactName: '', contactPhone: '0571-88881234' });
		expect(r).toEqual({
			ok: true,
			out: { ...RESIDENT, lat: 30.18, lng: 120.26, contactName: null, contactPhone: '0571-88881234', contactRelation: null }
		});
	});

	it.each([
		[{ name: '' }, { name: 'err_required' }],
		[{ name: '王'.repeat(41) }, { name: 'err_too_long' }],
		[{ phone: '12812341234' }, { phone: 'err_phone' }],
		[{ phone: '057188' }, { phone: 'err_phone' }],
		[{ phone: '' }, { phone: 'err_required' }],
		[{ idNumber: '' }, { idNumber: 'err_required' }],
		[{ idNumber: '3301091940' }, { idNumber: 'err_resident_id_length' }],
		[{ idNumber: `${ID.slice(0, 17)}A` }, { idNumber: 'err_resident_id_format' }],
		[{ idNumber: makeResidentId('330109', '1940-02-30', '124') }, { idNumber: 'err_resident_id_birth_date' }],
		[{ idNumber: ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1') }, { idNumber: 'err_resident_id_check_digit' }],
		[{ address: 'x'.repeat(121) }, { address: 'err_too_long' }],
		[{ district: 'x'.repeat(21) }, { district: 'err_too_long' }],
		[{ lat: 'abc', lng: 120 }, { lat: 'err_position' }],
		[{ lat: 60, lng: 120 }, { lat: 'err_position' }],
		[{ lat: 30, lng: 150 }, { lng: 'err_position' }],
		[{ lat: 30 }, { lng: 'err_position' }],
		[{ lng: '120.1' }, { lat: 'err_position' }],
		[{ mobility: 'flying' }, { mobility: 'err_choice' }],
		[{ placeType: undefined }, { placeType: 'err_choice' }],
		[{ contactPhone: '123' }, { contactPhone: 'err_phone' }],
		[{ contactRelation: '关'.repeat(21) }, { contactRelation: 'err_too_long' }]
	])('%j → %j', (patch, expected) => {
		expect(errors(residentSchema, { ...RESIDENT, ...patch })).toEqual(expected);
	});

	it('reports missing keys as required', () => {
		expect(errors(residentSchema, { mobility: 'limited', placeType: 'home' })).toMatchObject({
			name: 'err_required',
			phone: 'err_required',
			idNumber: 'err_required',
			address: 'err_required',
			district: 'err_required'
		});
	});
});

describe('newRequestSchema', () => {
	it('accepts an existing resident and normalises', () => {
		const r = run(newRequestSchema, { ...REQUEST, consentRelation: '本人', extra: 'dropped' });
		expect(r).toEqual({
			ok: true,
			out: { ...REQUEST, resident: null, notes: '卧床，需提前电话联系', consentRelation: null, consentAgreed: true }
		});
	});

	it('accepts a new resident, a single service string, form checkbox values and defaults', () => {
		const r = run(newRequestSchema, {
			resident: RESIDENT,
			services: 'pin_reset',
			windows: WINDOWS,
			consentBy: 'guardian',
			consentName: '李明',
			consentRelation: '儿子',
			consentAgreed: 'on'
		});
		expect(r.ok && r.out).toMatchObject({ residentId: null, services: ['pin_reset'], urgency: 'normal', notes: '', consentRelation: '儿子' });
		expect(r.ok && r.out.resident?.idNumber).toBe(ID);
	});

	it.each([
		[{ residentId: '' }, { residentId: 'err_resident_required' }],
		[{ resident: RESIDENT }, { residentId: 'err_resident_ambiguous' }],
		[{ resident: { ...RESIDENT, idNumber: '1' }, residentId: undefined }, { 'resident.idNumber': 'err_resident_id_length' }],
		[{ services: [] }, { services: 'err_services_min' }],
		[{ services: undefined }, { services: 'err_services_min' }],
		[{ services: ['pin_reset', 'pin_reset'] }, { services: 'err_duplicate' }],
		[{ services: ['PIN RESET'] }, { services: 'err_service_code' }],
		[{ services: Array.from({ length: 21 }, (_, i) => `s${i}`) }, { services: 'err_too_many' }],
		[{ windows: [WINDOWS[0]] }, { windows: 'err_windows_min' }],
		[{ windows: [...WINDOWS, WINDOWS[0]] }, { 'windows.2': 'err_window_duplicate' }],
		[{ windows: [WINDOWS[0], { date: '2026-12-02', start: '11:00', end: '10:00' }] }, { 'windows.1.end': 'err_window_order' }],
		[{ windows: [WINDOWS[0], { date: '2026-12-02', start: '11:00', end: '11:00' }] }, { 'windows.1.end': 'err_window_order' }],
		[{ windows: [WINDOWS[0], { date: '2026-12-02', start: '06:30', end: '08:00' }] }, { 'windows.1.start': 'err_window_hours' }],
		[{ windows: [WINDOWS[0], { date: '2026-12-02', start: '19:00', end: '20:30' }] }, { 'windows.1.end': 'err_window_hours' }],
		[{ windows: [WINDOWS[0], { date: '2026-02-30', start: '9:00', end: '10:00' }] }, { 'windows.1.date': 'err_date', 'windows.1.start': 'err_time' }],
		[{ windows: Array.from({ length: 11 }, (_, i) => ({ date: `2026-12-${10 + i}`, start: '09:00', end: '10:00' })) }, { windows: 'err_too_many' }],
		[{ urgency: 'very' }, { urgency: 'err_choice' }],
		[{ notes: 'x'.repeat(501) }, { notes: 'err_too_long' }],
		[{ consentBy: 'neighbour' }, { consentBy: 'err_choice' }],
		[{ consentName: '' }, { consentName: 'err_required' }],
		[{ consentBy: 'agent' }, { consentRelation: 'err_required' }],
		[{ consentAgreed: false }, { consentAgreed: 'err_consent_required' }],
		[{ consentAgreed: undefined }, { consentAgreed: 'err_consent_required' }]
	])('%j → %j', (patch, expected) => {
		expect(errors(newRequestSchema, { ...REQUEST, ...patch })).toEqual(expected);
	});

	it('rejects a non-object body', () => {
		expect(errors(newRequestSchema, null)).toEqual({ _form: 'err_required' });
		expect(errors(newRequestSchema, 'x')).toEqual({ _form: 'err_required' });
	});
});

describe('approve / reschedule / reject / cancel / outcome', () => {
	const APPROVE = { date: '2026-12-01', start: '09:00', end: '10:00', leadStaffId: 's1', secondStaffId: 's2' };

	it('accepts valid input', () => {
		expect(run(approveSchema, APPROVE)).toEqual({ ok: true, out: APPROVE });
		expect(run(rescheduleSchema, { ...APPROVE, reason: ' 客户住院 ' })).toEqual({ ok: true, out: { ...APPROVE, reason: '客户住院' } });
	});

	it('checks order, hours, and two different staff', () => {
		expect(errors(approveSchema, { ...APPROVE, end: '08:00', secondStaffId: 's1' })).toEqual({ end: 'err_window_order', secondStaffId: 'err_same_staff' });
		expect(errors(approveSchema, { ...APPROVE, start: '06:00' })).toEqual({ start: 'err_window_hours' });
		expect(errors(rescheduleSchema, { ...APPROVE, secondStaffId: 's1', reason: '改' })).toEqual({ reason: 'err_too_short', secondStaffId: 'err_same_staff' });
		expect(errors(rescheduleSchema, APPROVE)).toEqual({ reason: 'err_required' });
		// A malformed time is reported once, not also as a wrong order.
		expect(errors(approveSchema, { ...APPROVE, start: '9:00' })).toEqual({ start: 'err_time' });
		expect(errors(approveSchema, { ...APPROVE, leadStaffId: '', secondStaffId: '' })).toEqual({
			leadStaffId: 'err_required',
			secondStaffId: 'err_required'
		});
	});

	it('bounds reasons and notes', () => {
		for (const s of [rejectSchema, cancelSchema]) {
			expect(errors(s, { reason: 'x' })).toEqual({ reason: 'err_too_short' });
			expect(errors(s, { reason: 'x'.repeat(301) })).toEqual({ reason: 'err_too_long' });
			expect(errors(s, {})).toEqual({ reason: 'err_required' });
		}
		expect(run(outcomeSchema, { outcome: 'not_home' })).toEqual({ ok: true, out: { outcome: 'not_home', note: '' } });
		expect(errors(outcomeSchema, { outcome: 'processed', note: 'x'.repeat(501) })).toEqual({ outcome: 'err_choice', note: 'err_too_long' });
	});
});

describe('login and admin schemas', () => {
	it('login', () => {
		expect(run(loginSchema, { username: ' Zhang.Wei ', password: ' secret ' })).toEqual({ ok: true, out: { username: 'zhang.wei', password: ' secret ' } });
		expect(errors(loginSchema, { username: '', password: 'x'.repeat(201) })).toEqual({ username: 'err_required', password: 'err_too_long' });
	});

	it('outlet', () => {
		const o = { name: '萧山支行营业部', address: '萧山区人民路1号', lat: '30.16', lng: '120.27', decideDays: '1', visitDays: 5, active: 'on' };
		expect(run(outletSchema, o)).toEqual({ ok: true, out: { ...o, lat: 30.16, lng: 120.27, openingHours: null, decideDays: 1, active: true } });
		expect(errors(outletSchema, { ...o, lat: '', decideDays: '1.5', visitDays: 0 })).toEqual({ lat: 'err_required', decideDays: 'err_number', visitDays: 'err_range' });
		expect(run(outletSchema, { ...o, active: undefined }).ok && run(outletSchema, { ...o, active: undefined })).toMatchObject({ out: { active: false } });
	});

	it('community', () => {
		expect(run(communitySchema, { outletId: 'o1', name: '城厢社区', district: '萧山区', active: 'false' })).toEqual({
			ok: true,
			out: { outletId: 'o1', name: '城厢社区', district: '萧山区', active: false }
		});
		expect(errors(communitySchema, { outletId: 'o1', name: '城厢社区', district: '萧山区', active: 'maybe' })).toEqual({ active: 'err_invalid' });
	});

	it('user create: username, password and scope by role', () => {
		const u = { username: 'wang_li', displayName: '王丽', role: 'field_staff', outletId: 'o1', password: 'correct horse' };
		expect(run(userCreateSchema, u)).toEqual({ ok: true, out: { ...u, communityId: null } });
		expect(errors(userCreateSchema, { ...u, username: 'ab', password: 'short' })).toEqual({ username: 'err_username', password: 'err_password_short' });
		expect(errors(userCreateSchema, { ...u, username: 'a'.repeat(33) })).toEqual({ username: 'err_too_long' });
		expect(errors(userCreateSchema, { ...u, username: 'wang li' })).toEqual({ username: 'err_username' });
		expect(errors(userCreateSchema, { ...u, outletId: '' })).toEqual({ outletId: 'err_outlet_required' });
		expect(errors(userCreateSchema, { ...u, role: 'outlet_head', outletId: undefined })).toEqual({ outletId: 'err_outlet_required' });
		expect(errors(userCreateSchema, { ...u, role: 'community_worker' })).toEqual({ communityId: 'err_community_required' });
		expect(errors(userCreateSchema, { ...u, role: 'admin', outletId: '' }).role).toBeUndefined();
		expect(errors(userCreateSchema, { ...u, role: 'root' })).toEqual({ role: 'err_choice' });
	});

	it('user edit: scope follows the role; password reset needs 10 characters', () => {
		const u = { id: 'u1', displayName: '王丽', role: 'community_worker', communityId: 'c1', outletId: '' };
		expect(run(userEditSchema, u)).toEqual({ ok: true, out: { ...u, outletId: null } });
		expect(errors(userEditSchema, { ...u, role: 'field_staff' })).toEqual({ outletId: 'err_outlet_required' });
		expect(errors(passwordResetSchema, { id: 'u1', password: 'short' })).toEqual({ password: 'err_password_short' });
	});

	it('service and calendar day', () => {
		const s = { code: 'pin_reset', nameZh: '银行卡密码重置', nameEn: 'PIN reset', durationMin: '20', active: true };
		expect(run(serviceSchema, s)).toEqual({ ok: true, out: { ...s, durationMin: 20, sort: 0, requiredPhotos: [] } });
		expect(run(serviceSchema, { ...s, requiredPhotos: ['id_front', 'id_back', 'id_front'] })).toEqual({ ok: true, out: { ...s, durationMin: 20, sort: 0, requiredPhotos: ['id_front', 'id_back'] } });
		expect(errors(serviceSchema, { ...s, requiredPhotos: ['id_front', 'other'] })).toEqual({ requiredPhotos: 'err_choice' });
		expect(errors(serviceSchema, { ...s, requiredPhotos: 'id_front' })).toEqual({ requiredPhotos: 'err_choice' });
		expect(errors(serviceSchema, { ...s, code: 'Pin-Reset', durationMin: 481 })).toEqual({ code: 'err_service_code', durationMin: 'err_range' });
		expect(errors(serviceSchema, { ...s, durationMin: undefined })).toEqual({ durationMin: 'err_required' });
		expect(run(calendarDaySchema, { date: '2026-10-01', kind: 'holiday', name: '国庆节' }).ok).toBe(true);
		expect(errors(calendarDaySchema, { date: '2026-10-32', kind: 'weekend', name: '' })).toEqual({ date: 'err_date', kind: 'err_choice', name: 'err_required' });
	});
});

describe('fieldErrors', () => {
	it('keeps the first code per path and puts root issues under _form', () => {
		const issues = [
			{ message: 'err_a', path: [{ key: 'windows' }, { key: 1 }, { key: 'end' }] },
			{ message: 'err_b', path: [{ key: 'windows' }, { key: 1 }, { key: 'end' }] },
			{ message: 'err_c' }
		];
		expect(fieldErrors(issues)).toEqual({ 'windows.1.end': 'err_a', _form: 'err_c' });
		expect(fieldErrors(undefined)).toEqual({});
	});

	it('gives a clear code for oversized text everywhere', () => {
		const huge = 'x'.repeat(100_000);
		expect(errors(loginSchema, { username: huge, password: huge })).toEqual({ username: 'err_too_long', password: 'err_too_long' });
		expect(errors(residentSchema, { ...RESIDENT, phone: huge, idNumber: huge, contactName: huge, lat: huge, lng: huge })).toMatchObject({
			phone: 'err_too_long',
			idNumber: 'err_too_long',
			contactName: 'err_too_long',
			lat: 'err_too_long'
		});
	});
});
