/**
 * Versioned consent texts shown (large) to the resident before a visit and before any photo.
 *
 * A text, once released, must never change: a request stores `consent_version` and the hash of
 * the exact words agreed to. To change the wording, add a new version and point
 * CURRENT_CONSENT_VERSION at it. Short sentences and everyday words: the readers are elderly and
 * the text is usually read aloud to them.
 */

export const CONSENT_BY = ['resident', 'guardian', 'agent'] as const;
export type ConsentBy = (typeof CONSENT_BY)[number];

export interface ConsentText {
	zh: string;
	en: string;
}

export const CONSENT_TEXTS: Record<string, ConsentText> = {
	'2026-11-v1': {
		zh: [
			'上门服务知情同意书',
			'1. 本行两名工作人员将到您家中（或您所在的养老院、医院、社区中心）为您办理本次申请中列明的业务。',
			'2. 为了确认是您本人，工作人员会查看您的身份证，并可能拍摄身份证照片和本次上门服务的现场照片。',
			'3. 您的信息和照片只用于本次服务。我们会按照法律规定（包括反洗钱法关于保存客户身份资料的要求）保存这些资料，并采取措施妥善保护，不会用于其他用途。',
			'4. 您可以拒绝本次服务，也可以随时撤回同意，不会因此受到任何不利对待。撤回前已经办理的业务和依法必须保存的资料不受影响。',
			'5. 如果您本人无法作出决定，可以由您的监护人或代理人代为同意，并说明与您的关系。',
			'如您同意，请签名确认。有任何疑问，请随时询问工作人员。'
		].join('\n'),
		en: [
			'Consent to a home visit',
			'1. Two members of the bank’s staff will visit you at home (or at your nursing home, hospital or community centre) to provide the services listed in this request.',
			'2. To make sure it is you, they will look at your ID card and may take photos of your ID card and of the visit.',
			'3. Your information and the photos are used only for this service. We keep them as the law requires (including the anti-money-laundering rules on keeping customer identification records) and protect them. They are not used for anything else.',
			'4. You may refuse this service, and you may withdraw your consent at any time, without any disadvantage to you. Withdrawing does not undo services already provided or delete records the law requires us to keep.',
			'5. If you cannot decide for yourself, your guardian or an agent may consent for you and must state how they are related to you.',
			'If you agree, please sign. Ask the staff at any time if anything is unclear.'
		].join('\n')
	}
};

export const CURRENT_CONSENT_VERSION = '2026-11-v1';

export function isConsentVersion(version: string): boolean {
	return Object.hasOwn(CONSENT_TEXTS, version);
}

/**
 * Hex SHA-256 of the UTF-8 bytes of `zh + '\n\n' + en` of a version. Stored with each consent so
 * an auditor can prove which words were shown. Uses WebCrypto (`globalThis.crypto.subtle`),
 * available in browsers (secure contexts) and Node ≥ 19.
 */
export async function consentHash(version: string): Promise<string> {
	if (!isConsentVersion(version)) throw new RangeError(`unknown consent version: ${version}`);
	const { zh, en } = CONSENT_TEXTS[version];
	const bytes = new TextEncoder().encode(`${zh}\n\n${en}`);
	const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
