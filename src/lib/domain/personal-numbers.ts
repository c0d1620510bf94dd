/*
 * Finding resident ID numbers and mainland mobile numbers inside free text (audit details,
 * server logs), so they can be masked or reported. Pure, no I/O.
 *
 * Why not a bare digit pattern: the texts it reads are full of UUIDs and SHA-256 hex, and a
 * random UUID's last group holds an 11-digit run like "18482839031" about once in 3,000. Masking
 * that would corrupt the id; reporting it would fail a run at random. So UUIDs and long hex runs
 * are recognised first and passed over whole, and only what is left is searched.
 */

export const PERSONAL_NUMBER_KINDS = ['id_number', 'phone'] as const;
export type PersonalNumberKind = (typeof PERSONAL_NUMBER_KINDS)[number];

export interface PersonalNumber {
	kind: PersonalNumberKind;
	value: string;
	index: number;
}

/*
 * Alternatives are tried left to right at each position: a UUID or a hex run of 32+ characters
 * starting here is consumed whole (group 1), so no number is looked for inside it.
 */
const TOKENS =
	/\b([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\b|[0-9a-f]{32,}\b)|(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])|(?<!\d)(1[3-9]\d{9})(?!\d)/gi;

/** Every ID number and mobile number in `text`, in order. */
export function findPersonalNumbers(text: string): PersonalNumber[] {
	const found: PersonalNumber[] = [];
	for (const match of text.matchAll(TOKENS)) {
		if (match[2]) found.push({ kind: 'id_number', value: match[2], index: match.index });
		else if (match[3]) found.push({ kind: 'phone', value: match[3], index: match.index });
	}
	return found;
}

const MASKS: Record<PersonalNumberKind, string> = { id_number: '[id]', phone: '[phone]' };

/** `text` with every ID number replaced by "[id]" and every mobile number by "[phone]". */
export function maskPersonalNumbers(text: string): string {
	return text.replace(TOKENS, (whole, _hex, id, phone) => (id ? MASKS.id_number : phone ? MASKS.phone : whole));
}
