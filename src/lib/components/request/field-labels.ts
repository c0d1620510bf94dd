import { m } from '$lib/paraglide/messages.js';

/*
 * The name of the field behind an error path of the new-request form, for the error summary
 * ("居民姓名：此项为必填项。"): eight identical "此项为必填项。" lines did not say what to fix.
 */
const RESIDENT: Record<string, () => string> = {
	name: m.resident_name,
	phone: m.resident_phone,
	idNumber: m.resident_id_number,
	district: m.resident_district,
	address: m.resident_address,
	mobility: m.resident_mobility,
	placeType: m.resident_place_type,
	lat: m.resident_lat,
	lng: m.resident_lng,
	contactName: () => `${m.resident_contact_shown()} · ${m.resident_contact_name()}`,
	contactRelation: () => `${m.resident_contact_shown()} · ${m.resident_contact_relation()}`,
	contactPhone: () => `${m.resident_contact_shown()} · ${m.resident_contact_phone()}`
};

const TOP: Record<string, () => string> = {
	residentId: m.resident_choose,
	resident: m.step_resident,
	services: m.step_services,
	windows: m.step_windows,
	urgency: m.urgency,
	notes: m.notes,
	consentBy: m.consent_by,
	consentName: m.consent_name_other,
	consentRelation: m.consent_relation,
	consentAgreed: m.office_consent_agreed_short,
	consentVersion: m.step_consent
};

export function requestFieldLabel(path: string): string | undefined {
	const [head, second, third] = path.split('.');
	if (head === 'resident' && second) return RESIDENT[second]?.();
	if (head === 'windows' && second !== undefined && /^\d+$/.test(second)) {
		const n = Number(second) + 1;
		const part = third === 'date' ? m.office_window_date_part() : third === 'start' ? m.window_start() : third === 'end' ? m.window_end() : '';
		return part ? `${m.window_n({ n })} · ${part}` : m.window_n({ n });
	}
	return TOP[path]?.();
}

/** Labels for every path of `errors` that has one. */
export function requestFieldLabels(errors: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const path of Object.keys(errors)) {
		const label = requestFieldLabel(path);
		if (label) out[path] = label;
	}
	return out;
}
