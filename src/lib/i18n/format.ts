/** Dates and times are always shown in the branch's time zone, whatever the device says. */
const TZ = 'Asia/Shanghai';
const tag = (locale: string) => (locale === 'en' ? 'en-GB' : 'zh-CN');

export function formatDateTime(iso: string, locale: string): string {
	return new Intl.DateTimeFormat(tag(locale), { timeZone: TZ, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A calendar date `YYYY-MM-DD` with its weekday. */
export function formatDate(date: string, locale: string): string {
	return new Intl.DateTimeFormat(tag(locale), { timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
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
