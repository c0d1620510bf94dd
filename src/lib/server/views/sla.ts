import { calendarFromDays, type WorkCalendar } from '$lib/domain/calendar';
import { countdown, requestDeadline, type Countdown } from '$lib/domain/sla';
import type { RequestStatus } from '$lib/domain/status';
import type { Db } from '$lib/server/repos/common';
import { listCalendarDays } from '$lib/server/repos/calendar';
import { listOutlets } from '$lib/server/repos/outlets';

export interface SlaView extends Countdown {
	kind: 'decision' | 'visit';
	deadline: string;
}

/** Everything needed to compute time limits for many requests with two queries. */
export interface SlaContext {
	cal: WorkCalendar;
	outletDays: Map<string, { decideDays: number; visitDays: number }>;
	now: string;
}

export async function loadSlaContext(db: Db, now = new Date()): Promise<SlaContext> {
	const [days, outlets] = await Promise.all([listCalendarDays(db), listOutlets(db)]);
	return {
		cal: calendarFromDays(days),
		outletDays: new Map(outlets.map((o) => [o.id, { decideDays: o.decideDays, visitDays: o.visitDays }])),
		now: now.toISOString()
	};
}

/** The running time limit of one request, or null when no clock runs (decided, closed…). */
export function slaOf(
	ctx: SlaContext,
	req: { outletId: string; status: RequestStatus; createdAt: string; decidedAt: string | null }
): SlaView | null {
	const days = ctx.outletDays.get(req.outletId) ?? { decideDays: 1, visitDays: 5 };
	const due = requestDeadline(req, days, ctx.cal);
	if (!due) return null;
	return { ...due, ...countdown(due.deadline, ctx.now, ctx.cal) };
}
