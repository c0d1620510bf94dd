/** Numbers, shares and months in the reader's language (zh-CN or en-GB), for the report page. */
const tag = (locale: string) => (locale === 'en' ? 'en-GB' : 'zh-CN');

export function formatNumber(n: number, locale: string): string {
	return new Intl.NumberFormat(tag(locale)).format(n);
}

export function formatPercent(r: number | null, locale: string): string {
	return r === null ? '—' : new Intl.NumberFormat(tag(locale), { style: 'percent', maximumFractionDigits: 1 }).format(r);
}

export function formatDays(d: number | null, locale: string): string {
	return d === null ? '—' : new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 0 }).format(d);
}

/** `2026-10` → 2026年10月 / Oct 2026. */
export function formatMonth(month: string, locale: string, style: 'long' | 'short' = 'long'): string {
	const d = new Date(`${month}-01T00:00:00Z`);
	return new Intl.DateTimeFormat(tag(locale), { timeZone: 'UTC', year: 'numeric', month: style === 'long' ? 'long' : 'short' }).format(d);
}

/** A calendar date `YYYY-MM-DD` without weekday. */
export function formatDay(date: string, locale: string): string {
	return new Intl.DateTimeFormat(tag(locale), { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
}
