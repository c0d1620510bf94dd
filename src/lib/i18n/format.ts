/*
 * The one formatter of dates, times, durations and lists for every page (office, field, print).
 * Dates and times are always shown in the branch's time zone, whatever the device says, and in
 * one shape per language: 2026年12月4日周五 09:05 / Fri, 4 Dec 2026 09:05.
 */
const TZ = 'Asia/Shanghai';
const tag = (locale: string) => (locale === 'en' ? 'en-GB' : 'zh-CN');
const DAY_OPTIONS = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' } as const;

const valid = (d: Date) => !Number.isNaN(d.getTime());

/** A calendar date `YYYY-MM-DD` with its weekday. */
export function formatDate(date: string, locale: string): string {
	const d = new Date(`${date}T00:00:00Z`);
	return valid(d) ? new Intl.DateTimeFormat(tag(locale), { timeZone: 'UTC', ...DAY_OPTIONS }).format(d) : date;
}

/** The time of day `HH:MM` (24 h) of an instant, in the branch's zone. */
export function formatTime(iso: string, locale: string): string {
	const d = new Date(iso);
	return valid(d) ? new Intl.DateTimeFormat(tag(locale), { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d) : iso;
}

/** An instant as date (with weekday) and time, in the branch's zone. */
export function formatDateTime(iso: string, locale: string): string {
	const d = new Date(iso);
	if (!valid(d)) return iso;
	const day = new Intl.DateTimeFormat(tag(locale), { timeZone: TZ, ...DAY_OPTIONS }).format(d);
	return `${day} ${formatTime(iso, locale)}`;
}

/** Names or items in a row: 甲、乙、丙 / A, B, C. */
export function formatList(items: readonly string[], locale: string): string {
	return items.filter((x) => x !== '').join(locale === 'en' ? ', ' : '、');
}

/** "3 h 20 min" style durations for countdowns. */
export function formatDuration(ms: number, locale: string): string {
	const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
	const d = Math.floor(minutes / 1440);
	const h = Math.floor((minutes % 1440) / 60);
	const m = minutes % 60;
	if (locale === 'en') return [d && `${d} d`, h && `${h} h`, !d && `${m} min`].filter(Boolean).join(' ') || '0 min';
	return [d && `${d}天`, h && `${h}小时`, !d && `${m}分钟`].filter(Boolean).join('') || '0分钟';
}
