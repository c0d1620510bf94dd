/**
 * Formats an ISO instant as Asia/Shanghai local date and time in the page's language. Done on
 * the server so the page shows the branch's time whatever the browser's zone, with no
 * hydration mismatch between server and browser clocks.
 */
export function formatInstant(iso: string, locale: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(date);
}
