/**
 * China's public holidays and adjusted working days (调休上班) — the default content of the
 * `calendar_days` table. Administrators can edit the table; this list only seeds it.
 *
 * Sources: State Council General Office notices
 *  - 2025: 国办发明电〔2024〕12号 (published 2024-11-12)
 *  - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (published 2025-11-04)
 *  - 2027: NOT published when this list was written. The rows are an ESTIMATE derived from the
 *    statutory holidays (全国年节及纪念日放假办法, as amended 2024) and the State Council's usual
 *    pattern in comparable years (e.g. 2021, when 1 Oct was also a Friday); every 2027 row's
 *    name ends in '(预估)'. Replace them with the official notice (normally published in
 *    November of the previous year) through the admin calendar page.
 *
 * Every day of a holiday period is listed (weekend days included), so the table reads like the
 * notice and a lookup is a plain set membership.
 */

type Row = { date: string; kind: 'holiday' | 'workday'; name: string };

const EST = '(预估)';

/** All dates from `from` to `to` inclusive (same year, both valid), as holiday rows. */
function holiday(from: string, to: string, name: string): Row[] {
	const rows: Row[] = [];
	const end = Date.parse(`${to}T00:00:00Z`);
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
		rows.push({ date: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name });
	}
	return rows;
}

function workday(date: string, name: string, estimate = false): Row {
	return { date, kind: 'workday', name: `${name}调休上班${estimate ? EST : ''}` };
}

export const CN_DEFAULT_CALENDAR_DAYS: { date: string; kind: 'holiday' | 'workday'; name: string }[] =
	[
		// ── 2025 ──
		...holiday('2025-01-01', '2025-01-01', '元旦'),
		...holiday('2025-01-28', '2025-02-04', '春节'),
		workday('2025-01-26', '春节'),
		workday('2025-02-08', '春节'),
		...holiday('2025-04-04', '2025-04-06', '清明节'),
		...holiday('2025-05-01', '2025-05-05', '劳动节'),
		workday('2025-04-27', '劳动节'),
		...holiday('2025-05-31', '2025-06-02', '端午节'),
		...holiday('2025-10-01', '2025-10-08', '国庆节、中秋节'),
		workday('2025-09-28', '国庆节、中秋节'),
		workday('2025-10-11', '国庆节、中秋节'),

		// ── 2026 ──
		...holiday('2026-01-01', '2026-01-03', '元旦'),
		workday('2026-01-04', '元旦'),
		...holiday('2026-02-15', '2026-02-23', '春节'),
		workday('2026-02-14', '春节'),
		workday('2026-02-28', '春节'),
		...holiday('2026-04-04', '2026-04-06', '清明节'),
		...holiday('2026-05-01', '2026-05-05', '劳动节'),
		workday('2026-05-09', '劳动节'),
		...holiday('2026-06-19', '2026-06-21', '端午节'),
		...holiday('2026-09-25', '2026-09-27', '中秋节'),
		...holiday('2026-10-01', '2026-10-07', '国庆节'),
		workday('2026-09-20', '国庆节'),
		workday('2026-10-10', '国庆节'),

		// ── 2027 (预估: not yet published, see the header) ──
		// 元旦 is a Friday: Fri–Sun, no make-up day.
		...holiday('2027-01-01', '2027-01-03', `元旦${EST}`),
		// 除夕 Fri 5 Feb, 初一 Sat 6 Feb per the published lunar calendar (ICU's 'chinese' calendar
		// says 7 Feb: that new moon falls close to midnight). Fri–Fri with two make-up days.
		...holiday('2027-02-05', '2027-02-12', `春节${EST}`),
		workday('2027-01-31', '春节', true),
		workday('2027-02-20', '春节', true),
		// 清明 falls on Mon 5 Apr: Sat–Mon.
		...holiday('2027-04-03', '2027-04-05', `清明节${EST}`),
		// 1 May is a Saturday: Sat–Wed with one make-up day.
		...holiday('2027-05-01', '2027-05-05', `劳动节${EST}`),
		workday('2027-04-25', '劳动节', true),
		// 端午 (Wed 9 Jun) and 中秋 (Wed 15 Sep) fall mid-week: estimated as the single day.
		...holiday('2027-06-09', '2027-06-09', `端午节${EST}`),
		...holiday('2027-09-15', '2027-09-15', `中秋节${EST}`),
		// 1 Oct is a Friday: Fri–Thu with make-up days Sun 26 Sep and Sat 9 Oct (as in 2021).
		...holiday('2027-10-01', '2027-10-07', `国庆节${EST}`),
		workday('2027-09-26', '国庆节', true),
		workday('2027-10-09', '国庆节', true)
	];
