import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { recordAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth/types';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/repos/common';
import { loadSlaContext } from '$lib/server/views/sla';
import { CSV_BOM, csvLine } from './csv';
import { LEDGER_COLUMNS, ledgerHeader, ledgerRows, tr, type Locale } from './ledger';
import { reportData } from './report';
import type { ReportOptions, ScopedFilter } from './scope';
import { summaryRows } from './summary-rows';

/*
 * GET /reports/ledger.{xlsx,csv}: the ledger streamed as it is read (bounded memory), after an
 * audit entry saying who exported which range and filters.
 */

export type LedgerFormat = 'xlsx' | 'csv';

export async function auditExport(db: Db, user: SessionUser, f: ScopedFilter, format: LedgerFormat): Promise<void> {
	await recordAudit(db, {
		actorId: user.id,
		action: 'report_export',
		entity: 'report',
		entityId: `ledger.${format}`,
		outletId: f.outletId,
		details: { format, from: f.from, to: f.to, outletId: f.outletId, communityId: f.communityId, service: f.service, urgency: f.urgency }
	});
}

const fileName = (f: ScopedFilter, format: LedgerFormat) => `ledger_${f.from}_${f.to}.${format}`;

function headers(f: ScopedFilter, format: LedgerFormat, locale: Locale): HeadersInit {
	const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
	const pretty = `${tr(locale, 'report_ledger_file')}_${f.from}_${f.to}.${format}`;
	return {
		'content-type': type,
		'content-disposition': `attachment; filename="${fileName(f, format)}"; filename*=UTF-8''${encodeURIComponent(pretty)}`,
		'cache-control': 'no-store'
	};
}

export async function ledgerResponse(db: Db, f: ScopedFilter, options: ReportOptions, format: LedgerFormat, locale: Locale, now = new Date()): Promise<Response> {
	const ctx = await loadSlaContext(db, now);
	const idPolicy = config().idMaskPolicy;
	if (format === 'csv') {
		const rows = ledgerRows(db, f, options, ctx, locale, idPolicy);
		let started = false;
		const stream = new ReadableStream<Uint8Array>({
			async pull(controller) {
				const enc = new TextEncoder();
				if (!started) {
					started = true;
					controller.enqueue(enc.encode(CSV_BOM + csvLine(ledgerHeader(locale))));
					return;
				}
				const next = await rows.next();
				if (next.done) return controller.close();
				controller.enqueue(enc.encode(next.value.map((r) => csvLine(LEDGER_COLUMNS.map(([k]) => r[k]))).join('')));
			},
			async cancel() {
				await rows.return(undefined);
			}
		});
		return new Response(stream, { headers: headers(f, format, locale) });
	}

	const summary = summaryRows(await reportData(db, f, options, now), f, options, locale);
	const pass = new PassThrough();
	void writeXlsx(pass, db, f, options, ctx, locale, idPolicy, summary).catch((err: unknown) => {
		console.error('[doorstep] ledger export failed:', err instanceof Error ? err.message : 'error');
		pass.destroy(err instanceof Error ? err : new Error('export failed'));
	});
	return new Response(Readable.toWeb(pass) as unknown as ReadableStream, { headers: headers(f, format, locale) });
}

async function writeXlsx(
	pass: PassThrough,
	db: Db,
	f: ScopedFilter,
	options: ReportOptions,
	ctx: Awaited<ReturnType<typeof loadSlaContext>>,
	locale: Locale,
	idPolicy: ReturnType<typeof config>['idMaskPolicy'],
	summary: [string, string | number][]
): Promise<void> {
	const ExcelJS = (await import('exceljs')).default;
	const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useStyles: true, useSharedStrings: false });
	wb.creator = 'Doorstep';
	const sheet = wb.addWorksheet(tr(locale, 'report_sheet_ledger'), { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
	const header = ledgerHeader(locale);
	sheet.columns = LEDGER_COLUMNS.map(([key, width], i) => ({ header: header[i], key, width }));
	const head = sheet.getRow(1);
	head.font = { bold: true, color: { argb: 'FFFFFFFF' } };
	head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF0B6E69' } };
	head.commit();
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
	for await (const batch of ledgerRows(db, f, options, ctx, locale, idPolicy)) {
		for (const r of batch) sheet.addRow(r).commit();
		// Let the zip drain to the client before the next page: memory stays at about one page.
		if (pass.writableNeedDrain) await once(pass, 'drain');
	}
	sheet.commit();
	const sum = wb.addWorksheet(tr(locale, 'report_sheet_summary'), { views: [{ state: 'frozen', ySplit: 1 }] });
	sum.columns = [
		{ header: tr(locale, 'report_figure'), key: 'label', width: 36 },
		{ header: tr(locale, 'report_value'), key: 'value', width: 24 }
	];
	sum.getRow(1).font = { bold: true };
	sum.getRow(1).commit();
	for (const [label, value] of summary) sum.addRow({ label, value }).commit();
	sum.commit();
	await wb.commit();
}
