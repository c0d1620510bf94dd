/** One CSV field: quoted, quotes doubled, and a leading = + - @ neutralised (spreadsheet formula injection). */
export function csvField(value: string | number): string {
	let s = String(value);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return `"${s.replace(/"/g, '""')}"`;
}

export const csvLine = (fields: (string | number)[]): string => `${fields.map(csvField).join(',')}\r\n`;

/** Excel opens UTF-8 CSV as UTF-8 (and Chinese correctly) only with a byte-order mark. */
export const CSV_BOM = '\uFEFF';
