/*
 * A short "model / OS · browser" for the administrator's list of tablets (issue 13: tablets were
 * named by a truncated user agent). Pure: from the user-agent string, e.g.
 * "Android 14 · SM-X710 · Chrome 131", "iPadOS 17 · Safari", "Linux · Chromium 131".
 */
const BROWSERS: [RegExp, string][] = [
	[/EdgA?\/(\d+)/, 'Edge'],
	[/HuaweiBrowser\/(\d+)/, 'Huawei Browser'],
	[/SamsungBrowser\/(\d+)/, 'Samsung Internet'],
	[/Firefox\/(\d+)/, 'Firefox'],
	[/Chromium\/(\d+)/, 'Chromium'],
	[/Chrome\/(\d+)/, 'Chrome'],
	[/Version\/(\d+)[\d.]* .*Safari/, 'Safari']
];

export function deviceSummary(ua: string): string {
	const parts: string[] = [];
	const android = /Android (\d+(?:\.\d+)?)(?:;\s*([^;)]+))?/.exec(ua);
	if (android) {
		parts.push(`Android ${android[1]}`);
		const model = android[2]?.replace(/\s*Build\/.*$/, '').trim();
		if (model && model !== 'K' && !/^(wv|Linux|U)$/.test(model)) parts.push(model);
	} else if (/iPad|Macintosh.*Mobile/.test(ua)) {
		const v = /OS (\d+)[_\d]* like Mac OS X/.exec(ua);
		parts.push(v ? `iPadOS ${v[1]}` : 'iPadOS');
	} else if (/iPhone/.test(ua)) parts.push('iOS');
	else if (/Windows NT/.test(ua)) parts.push('Windows');
	else if (/CrOS/.test(ua)) parts.push('ChromeOS');
	else if (/Mac OS X/.test(ua)) parts.push('macOS');
	else if (/HarmonyOS|OpenHarmony/.test(ua)) parts.push('HarmonyOS');
	else if (/Linux/.test(ua)) parts.push('Linux');
	for (const [re, name] of BROWSERS) {
		const hit = re.exec(ua);
		if (hit) {
			parts.push(`${name} ${hit[1]}`);
			break;
		}
	}
	return parts.join(' · ') || ua.slice(0, 40);
}

/** What the tablet registers as: the name the user gave ("平板 3") and the summary, ≤ 80 characters. */
export function deviceLabel(name: string, ua: string): string {
	const given = name.trim().replace(/\s+/g, ' ').slice(0, 40);
	return (given ? `${given} · ${deviceSummary(ua)}` : deviceSummary(ua)).slice(0, 80);
}
