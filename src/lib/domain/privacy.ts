/**
 * What each role may see of a resident, per purpose — the ONE place that decides it. The server
 * builds every resident it sends with `residentView()`; pages never receive more than they show.
 *
 * Matrix (C2 personal financial information — mask by default, show in full only to whom needs
 * it for the task; `list` = tables/cards/maps, `detail` = request page, `visit` = field visit):
 *
 * | viewer (relation to the resident)      | purpose     | name    | phone  | address  | lat/lng | contact | idLast4 |
 * |----------------------------------------|-------------|---------|--------|----------|---------|---------|---------|
 * | community_worker, same community       | list        | full    | masked | district | –       | –       | –       |
 * |                                        | detail/visit| full    | full   | full     | yes     | yes     | –       |
 * | outlet_head, owning outlet             | list        | full    | full   | full     | yes     | –       | yes     |
 * |                                        | detail/visit| full    | full   | full     | yes     | yes     | yes     |
 * | admin (any)                            | list        | surname | masked | district | –       | –       | –       |
 * |                                        | detail/visit| full    | masked | full     | yes     | –       | –       |
 * | field_staff, assigned to the visit     | list        | full    | masked | full     | yes     | –       | –       |
 * |                                        | detail/visit| full    | full   | full     | yes     | yes     | yes     |
 * | field_staff, same outlet, not assigned | any         | surname | masked | district | –       | –       | –       |
 * | anyone else                            | any         | null (no view at all)                                 |
 *
 * The full ID number is never in a view: every view carries the masked ID; `idLast4` lets the
 * team match the card on site. Showing the full number is a separate, audited act of the owning
 * outlet head (`canRevealIdNumber`); admins cannot reveal (they manage, they don't serve).
 * Community workers entered the data, so they see it in detail, but not the last 4 of the ID.
 */

import type { Role } from './roles';
import type { Mobility, PlaceType } from './services';

export type IdMaskPolicy = '1+1' | '3+3' | '6+4';
export type NameMaskStyle = 'surname' | 'middle';
export type Purpose = 'list' | 'detail' | 'visit';

export type Viewer = { role: Role; userId: string; outletId: string | null; communityId: string | null };
export type ResidentScope = { communityId: string; outletId: string; assignedStaffIds: string[] };

export interface ResidentRecord {
	id: string;
	name: string;
	phone: string;
	idNumber: string;
	address: string;
	district: string;
	lat: number | null;
	lng: number | null;
	mobility: Mobility;
	placeType: PlaceType;
	contactName: string | null;
	contactPhone: string | null;
	contactRelation: string | null;
}

export interface ResidentView {
	id: string;
	name: string;
	phone: string;
	idNumberMasked: string;
	idLast4: string | null;
	address: string;
	district: string;
	lat: number | null;
	lng: number | null;
	mobility: Mobility;
	placeType: PlaceType;
	contactName: string | null;
	contactPhone: string | null;
	contactRelation: string | null;
	masked: { name: boolean; phone: boolean; address: boolean };
}

const ID_KEEP: Record<IdMaskPolicy, [number, number]> = { '1+1': [1, 1], '3+3': [3, 3], '6+4': [6, 4] };

/** `110105194912310021` → `1****************1` ('1+1'); the length is kept. */
export function maskIdNumber(id: string, policy: IdMaskPolicy = '1+1'): string {
	const [head, tail] = ID_KEEP[policy] ?? ID_KEEP['1+1'];
	const s = (id ?? '').trim();
	if (s.length <= head + tail) return '*'.repeat(s.length); // too short to keep anything safely
	return s.slice(0, head) + '*'.repeat(s.length - head - tail) + s.slice(s.length - tail);
}

/**
 * `13812341234` → `138****1234`. Only digits are masked (separators of landlines stay):
 * ≥ 8 digits keep the first 3 and last 4; shorter numbers keep only the last 2.
 */
export function maskPhone(phone: string): string {
	const s = (phone ?? '').trim();
	const digits = s.replace(/\D/g, '').length;
	const [head, tail] = digits >= 8 ? [3, 4] : [0, Math.min(2, digits - 1)];
	let i = 0;
	return s.replace(/\d/g, (d) => {
		const pos = i++;
		return pos < head || pos >= digits - tail ? d : '*';
	});
}

/**
 * `surname`: `张三丰` → `张*` (lists outside the owning outlet); `middle`: `张三丰` → `张*丰`,
 * `张三` → `张*`. Latin names keep only the first letter: `John Smith` → `J*`.
 */
export function maskName(name: string, style: NameMaskStyle = 'surname'): string {
	const chars = Array.from((name ?? '').trim()); // code points: rare surnames are outside the BMP
	if (chars.length === 0) return '';
	if (chars.length === 1) return '*';
	if (/^[A-Za-z]/.test(chars[0])) return `${chars[0]}*`;
	if (style === 'middle' && chars.length >= 3) {
		return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
	}
	return `${chars[0]}*`;
}

/** Addresses are shown to the sub-district (街道, e.g. `城厢街道`) only, or `—` when unknown. */
export function maskAddress(_address: string, district: string | null | undefined): string {
	return district?.trim() || '—';
}

export interface VisibilityRule {
	name: 'full' | 'surname';
	phone: 'full' | 'masked';
	address: 'full' | 'district';
	position: boolean;
	contact: boolean;
	idLast4: boolean;
}

const rule = (
	name: VisibilityRule['name'],
	phone: VisibilityRule['phone'],
	address: VisibilityRule['address'],
	position: boolean,
	contact: boolean,
	idLast4: boolean
): VisibilityRule => ({ name, phone, address, position, contact, idLast4 });

const MINIMAL = rule('surname', 'masked', 'district', false, false, false);

function isAssigned(viewer: Viewer, scope: ResidentScope): boolean {
	return viewer.role === 'field_staff' && scope.assignedStaffIds.includes(viewer.userId);
}

export function canSeeResident(viewer: Viewer, scope: ResidentScope): boolean {
	switch (viewer.role) {
		case 'admin':
			return true;
		case 'community_worker':
			return viewer.communityId !== null && viewer.communityId === scope.communityId;
		case 'outlet_head':
		case 'field_staff':
			return viewer.outletId !== null && viewer.outletId === scope.outletId;
		default:
			return false;
	}
}

/** Only the head of the owning outlet may reveal a full ID number (the server audits it). */
export function canRevealIdNumber(viewer: Viewer, scope: ResidentScope): boolean {
	return viewer.role === 'outlet_head' && viewer.outletId !== null && viewer.outletId === scope.outletId;
}

/** The matrix above as data; null = no access. */
export function visibilityRule(viewer: Viewer, scope: ResidentScope, purpose: Purpose): VisibilityRule | null {
	if (!canSeeResident(viewer, scope)) return null;
	const list = purpose === 'list';
	switch (viewer.role) {
		case 'community_worker':
			return list ? rule('full', 'masked', 'district', false, false, false) : rule('full', 'full', 'full', true, true, false);
		case 'outlet_head':
			return rule('full', 'full', 'full', true, !list, true);
		case 'admin':
			return list ? MINIMAL : rule('full', 'masked', 'full', true, false, false);
		case 'field_staff':
			if (!isAssigned(viewer, scope)) return MINIMAL;
			return list ? rule('full', 'masked', 'full', true, false, false) : rule('full', 'full', 'full', true, true, true);
		default:
			return null;
	}
}

/** The resident as `viewer` may see it for `purpose`, or null when out of scope. */
export function residentView(
	viewer: Viewer,
	r: ResidentRecord,
	scope: ResidentScope,
	purpose: Purpose,
	policy: IdMaskPolicy = '1+1'
): ResidentView | null {
	const v = visibilityRule(viewer, scope, purpose);
	if (!v) return null;
	const id = (r.idNumber ?? '').trim();
	return {
		id: r.id,
		name: v.name === 'full' ? r.name : maskName(r.name, 'surname'),
		phone: v.phone === 'full' ? r.phone : maskPhone(r.phone),
		idNumberMasked: maskIdNumber(id, policy),
		idLast4: v.idLast4 && id.length >= 4 ? id.slice(-4) : null,
		address: v.address === 'full' ? r.address : maskAddress(r.address, r.district),
		district: r.district,
		lat: v.position ? r.lat : null,
		lng: v.position ? r.lng : null,
		mobility: r.mobility,
		placeType: r.placeType,
		contactName: v.contact ? r.contactName : null,
		contactPhone: v.contact ? r.contactPhone : null,
		contactRelation: v.contact ? r.contactRelation : null,
		masked: { name: v.name !== 'full', phone: v.phone !== 'full', address: v.address !== 'full' }
	};
}
