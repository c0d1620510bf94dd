import { m } from '$lib/paraglide/messages.js';
import { codes } from './codes.generated.js';

const messages = codes;

/*
 * The one place that turns an audit action or entity code into words, for every page that shows
 * the log (request timelines, the admin overview). Every code the server writes has a label in
 * both languages (src/lib/i18n/audit-labels.test.ts scans the sources); an unexpected code, e.g.
 * from an older version, is shown as "other action (code)" rather than raw or as a generic error.
 */
export function auditActionLabel(action: string): string {
	return messages[`audit_${action}`]?.() ?? m.audit_unknown_action({ code: action });
}

export function auditEntityLabel(entity: string): string {
	return messages[`audit_entity_${entity}`]?.() ?? m.audit_entity_unknown({ code: entity });
}
