import { formatDateTime } from '$lib/i18n/format';

/**
 * An ISO instant in the branch's zone and the page's language, formatted on the server (no
 * hydration mismatch between server and browser clocks). The same shape as everywhere else.
 */
export function formatInstant(iso: string, locale: string): string {
	return formatDateTime(iso, locale);
}
