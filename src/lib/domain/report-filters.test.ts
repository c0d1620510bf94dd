import { describe, expect, it } from 'vitest';
import { filterParams, monthRange, monthsBetween, parseReportFilter, shiftMonth } from './report-filters';

const parse = (q: string) => parseReportFilter(new URLSearchParams(q), new Date('2026-12-07T04:00:00Z'));

describe('report filters', () => {
	it('defaults to the current month in Asia/Shanghai and reads a month or a range', () => {
		expect(parse('')).toEqual({ ok: true, filter: { from: '2026-12-01', to: '2026-12-31', month: '2026-12', outletId: null, communityId: null, service: null, urgency: null } });
		expect(parseReportFilter(new URLSearchParams(''), new Date('2026-11-30T16:30:00Z'))).toMatchObject({ filter: { month: '2026-12' } });
		expect(parse('month=2024-02')).toMatchObject({ filter: { from: '2024-02-01', to: '2024-02-29' } });
		expect(parse('from=2026-10-01&to=2026-10-31&outlet=o1&service=pin_reset&urgency=urgent')).toMatchObject({ filter: { month: '2026-10', outletId: 'o1', service: 'pin_reset', urgency: 'urgent' } });
		expect(parse('from=2026-10-02&to=2026-10-31')).toMatchObject({ filter: { month: null } });
	});

	it('refuses bad input with a code', () => {
		expect(parse('month=2026-13')).toEqual({ ok: false, code: 'err_report_bad_month' });
		expect(parse('month=26-1')).toEqual({ ok: false, code: 'err_report_bad_month' });
		expect(parse('from=2026-02-30&to=2026-03-01')).toEqual({ ok: false, code: 'err_report_bad_date' });
		expect(parse('from=2026-10-01')).toEqual({ ok: false, code: 'err_report_bad_date' });
		expect(parse('from=2026-10-02&to=2026-10-01')).toEqual({ ok: false, code: 'err_report_range_order' });
		expect(parse('from=2020-01-01&to=2026-01-01')).toEqual({ ok: false, code: 'err_report_range_too_long' });
		expect(parse('from=1990-01-01&to=1990-02-01')).toEqual({ ok: false, code: 'err_report_bad_date' });
		expect(parse('urgency=soon')).toEqual({ ok: false, code: 'err_report_bad_filter' });
		expect(parse("outlet=x'; drop")).toEqual({ ok: false, code: 'err_report_bad_filter' });
		expect(parse(`outlet=${'a'.repeat(65)}`)).toEqual({ ok: false, code: 'err_too_long' });
		expect(parse('month=2026-10&month=2026-11')).toEqual({ ok: false, code: 'err_report_filter_repeated' });
	});

	it('months arithmetic and round trip', () => {
		expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
		expect(shiftMonth('2026-01', -1)).toBe('2025-12');
		expect(shiftMonth('2026-10', -11)).toBe('2025-11');
		expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
		const r = parse('from=2026-10-02&to=2026-10-31&community=c1');
		if (!r.ok) throw new Error(r.code);
		expect(parse(filterParams(r.filter).toString())).toEqual(r);
	});
});
