/*
 * A notification's text in the reader's language (office pages and the field tablet alike):
 * the stored code and parameters become `ntf_<code>`; `date`-like parameters are formatted, a
 * parameter named `…Code` is itself a message code (translated and passed without the suffix).
 */
import { isValidDate } from '$lib/domain/calendar';
import type { NotificationParams } from '$lib/domain/notifications';
import { formatDate } from './format';
import { t } from './labels';

const DATE_KEYS = new Set(['date', 'fromDate']);

export function notificationText(code: string, params: NotificationParams, locale: string): string {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(params)) {
		const text = value === null || value === undefined ? '' : String(value);
		if (key.endsWith('Code')) out[key.slice(0, -4)] = text ? translatedCode(text) : '';
		else if (DATE_KEYS.has(key) && isValidDate(text)) out[key] = formatDate(text, locale);
		else out[key] = text;
	}
	// "failed (R2611-0042)": the ref is optional in this message.
	if (code === 'reminder_failed') out.ref = out.ref ? ` (${out.ref})` : '';
	return t(`ntf_${code}`, out);
}

/** Provider error codes (`isv.…`) are no message of ours: shown as they are. */
function translatedCode(code: string): string {
	const text = t(code);
	return text === t('err_unknown') && !code.startsWith('err_unknown') ? code : text;
}
