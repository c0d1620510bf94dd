import { describe, expect, it } from 'vitest';
import {
	canRevealIdNumber,
	canSeeResident,
	maskAddress,
	maskIdNumber,
	maskName,
	maskPhone,
	residentView,
	visibilityRule,
	type Purpose,
	type ResidentRecord,
	type ResidentScope,
	type Viewer
} from './privacy';

describe('masking helpers', () => {
	it('masks ID numbers keeping the length', () => {
		const id = '11010519491231002X';
		expect(maskIdNumber(id)).toBe('1****************X');
		expect(maskIdNumber(id, '3+3')).toBe('110************02X');
		expect(maskIdNumber(id, '6+4')).toBe('110105********002X');
		for (const p of ['1+1', '3+3', '6+4'] as const) expect(maskIdNumber(id, p)).toHaveLength(18);
		expect(maskIdNumber('12')).toBe('**');
		expect(maskIdNumber('')).toBe('');
	});

	it('masks phone numbers', () => {
		expect(maskPhone('13812341234')).toBe('138****1234');
		expect(maskPhone('0571-88881234')).toBe('057*-****1234');
		expect(maskPhone('057188881234')).toBe('057*****1234');
		expect(maskPhone('88881234')).toBe('888*1234');
		expect(maskPhone('95588')).toBe('***88');
		expect(maskPhone('12')).toBe('*2');
		expect(maskPhone('7')).toBe('*');
		expect(maskPhone('')).toBe('');
	});

	it('masks names', () => {
		expect(maskName('张三')).toBe('张*');
		expect(maskName('张三丰')).toBe('张*');
		expect(maskName('张三丰', 'surname')).toBe('张*');
		expect(maskName('张三丰', 'middle')).toBe('张*丰');
		expect(maskName('张三', 'middle')).toBe('张*');
		expect(maskName('欧阳娜娜', 'middle')).toBe('欧**娜');
		expect(maskName('买买提·艾力', 'surname')).toBe('买*');
		expect(maskName('John Smith')).toBe('J*');
		expect(maskName('John Smith', 'middle')).toBe('J*');
		expect(maskName('𠮷田', 'surname')).toBe('𠮷*'); // outside the BMP
		expect(maskName('王')).toBe('*');
		expect(maskName('  ')).toBe('');
	});

	it('masks addresses to the district', () => {
		expect(maskAddress('萧山区城厢街道人民路1号', '萧山区')).toBe('萧山区');
		expect(maskAddress('某路1号', '')).toBe('—');
		expect(maskAddress('某路1号', null)).toBe('—');
	});
});

const R: ResidentRecord = {
	id: 'r1',
	name: '王秀英',
	phone: '13812341234',
	idNumber: '11010519491231002X',
	address: '萧山区城厢街道人民路1号3单元201',
	district: '萧山区',
	lat: 30.16,
	lng: 120.26,
	mobility: 'bedridden',
	placeType: 'home',
	contactName: '李明',
	contactPhone: '13900001111',
	contactRelation: '儿子'
};
const SCOPE: ResidentScope = { communityId: 'c1', outletId: 'o1', assignedStaffIds: ['f1', 'f2'] };
const viewer = (role: Viewer['role'], userId: string, outletId: string | null, communityId: string | null): Viewer => ({
	role,
	userId,
	outletId,
	communityId
});

const V = {
	worker: viewer('community_worker', 'w1', null, 'c1'),
	otherWorker: viewer('community_worker', 'w2', null, 'c2'),
	head: viewer('outlet_head', 'h1', 'o1', null),
	otherHead: viewer('outlet_head', 'h2', 'o2', null),
	admin: viewer('admin', 'a1', null, null),
	assigned: viewer('field_staff', 'f1', 'o1', null),
	unassigned: viewer('field_staff', 'f3', 'o1', null),
	otherStaff: viewer('field_staff', 'f1', 'o2', null) // same user id, other outlet: still no access
};

// Expected views, written out cell by cell from the matrix in privacy.ts.
// [name, phone, address, position, contact, idLast4]
type Cell = [string, string, string, boolean, boolean, boolean] | null;
const FULL_NAME = '王秀英';
const SUR = '王*';
const PH = '13812341234';
const PHM = '138****1234';
const ADDR = R.address;
const DIST = '萧山区';
const MATRIX: Record<keyof typeof V, Record<Purpose, Cell>> = {
	worker: {
		list: [FULL_NAME, PHM, DIST, false, false, false],
		detail: [FULL_NAME, PH, ADDR, true, true, false],
		visit: [FULL_NAME, PH, ADDR, true, true, false]
	},
	otherWorker: { list: null, detail: null, visit: null },
	head: {
		list: [FULL_NAME, PH, ADDR, true, false, true],
		detail: [FULL_NAME, PH, ADDR, true, true, true],
		visit: [FULL_NAME, PH, ADDR, true, true, true]
	},
	otherHead: { list: null, detail: null, visit: null },
	admin: {
		list: [SUR, PHM, DIST, false, false, false],
		detail: [FULL_NAME, PHM, ADDR, true, false, false],
		visit: [FULL_NAME, PHM, ADDR, true, false, false]
	},
	assigned: {
		list: [FULL_NAME, PHM, ADDR, true, false, false],
		detail: [FULL_NAME, PH, ADDR, true, true, true],
		visit: [FULL_NAME, PH, ADDR, true, true, true]
	},
	unassigned: {
		list: [SUR, PHM, DIST, false, false, false],
		detail: [SUR, PHM, DIST, false, false, false],
		visit: [SUR, PHM, DIST, false, false, false]
	},
	otherStaff: { list: null, detail: null, visit: null }
};

describe('residentView — every cell of the matrix', () => {
	for (const [who, row] of Object.entries(MATRIX) as [keyof typeof V, Record<Purpose, Cell>][]) {
		for (const [purpose, cell] of Object.entries(row) as [Purpose, Cell][]) {
			it(`${who} / ${purpose}`, () => {
				const view = residentView(V[who], R, SCOPE, purpose);
				expect(canSeeResident(V[who], SCOPE)).toBe(cell !== null);
				expect(visibilityRule(V[who], SCOPE, purpose) === null).toBe(cell === null);
				if (cell === null) return expect(view).toBeNull();
				const [name, phone, address, position, contact, last4] = cell;
				expect(view).toEqual({
					id: 'r1',
					name,
					phone,
					idNumberMasked: '1****************X',
					idLast4: last4 ? '002X' : null,
					address,
					district: '萧山区',
					lat: position ? 30.16 : null,
					lng: position ? 120.26 : null,
					mobility: 'bedridden',
					placeType: 'home',
					contactName: contact ? '李明' : null,
					contactPhone: contact ? '13900001111' : null,
					contactRelation: contact ? '儿子' : null,
					masked: { name: name !== FULL_NAME, phone: phone !== PH, address: address !== ADDR }
				});
				// The full ID number never leaves in a view, whatever the role or purpose.
				expect(JSON.stringify(view)).not.toContain(R.idNumber);
			});
		}
	}
});

describe('scope edge cases', () => {
	it('never matches on a null outlet or community', () => {
		const nullScope = { communityId: 'c1', outletId: 'o1', assignedStaffIds: [] };
		expect(canSeeResident(viewer('outlet_head', 'h', null, null), nullScope)).toBe(false);
		expect(canSeeResident(viewer('field_staff', 'f', null, null), nullScope)).toBe(false);
		expect(canSeeResident(viewer('community_worker', 'w', 'o1', null), nullScope)).toBe(false);
		expect(canSeeResident(viewer('nobody' as never, 'x', 'o1', 'c1'), nullScope)).toBe(false);
	});

	it('an assigned id only counts for field staff', () => {
		const scope = { ...SCOPE, assignedStaffIds: ['h1'] };
		expect(residentView(V.head, R, scope, 'list')?.contactName).toBeNull();
	});

	it('applies the ID mask policy', () => {
		expect(residentView(V.head, R, SCOPE, 'detail', '6+4')?.idNumberMasked).toBe('110105********002X');
	});
});

describe('canRevealIdNumber', () => {
	it('only for the head of the owning outlet', () => {
		const allowed = Object.entries(V)
			.filter(([, v]) => canRevealIdNumber(v, SCOPE))
			.map(([k]) => k);
		expect(allowed).toEqual(['head']);
	});
});
