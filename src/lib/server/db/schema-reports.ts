/** The report's working-day index (migration 014_report_indexes), derived from calendar_days. */
export interface ReportWorkdaysTable {
	/** `YYYY-MM-DD` */
	d: string;
	/** Working days from the index's first date up to and including `d`. */
	cum: number;
	/** 1 on a working day. */
	w: number;
}

export interface ReportWorkdaysMetaTable {
	name: string;
	/** SHA-256 of the calendar the index was built from. */
	fingerprint: string;
}
