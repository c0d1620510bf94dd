import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { listOutletInbox } from '$lib/server/repos/requests';
import { requestCard, serviceNames, type RequestCard } from './requests';
import { loadSlaContext } from './sla';

const byTimeLeft = (a: RequestCard, b: RequestCard) =>
	(a.sla?.msLeft ?? Number.POSITIVE_INFINITY) - (b.sla?.msLeft ?? Number.POSITIVE_INFINITY);

/**
 * The outlet head's inbox: requests waiting for a decision sorted by time left (overdue first),
 * scheduled visits by their own time limit, and visited requests waiting to be processed.
 */
export async function outletInbox(db: Db, user: SessionUser, locale: string) {
	const outletId = user.outletId ?? '';
	const [waiting, scheduled, toProcess, names, sla] = await Promise.all([
		listOutletInbox(db, outletId, { statuses: ['submitted'] }),
		listOutletInbox(db, outletId, { statuses: ['approved'] }),
		listOutletInbox(db, outletId, { statuses: ['completed', 'not_home', 'refused', 'follow_up'] }),
		serviceNames(db, locale),
		loadSlaContext(db)
	]);
	const card = (r: (typeof waiting)[number]) => requestCard(user, r, names, sla);
	const waitingCards = waiting.map(card).sort(byTimeLeft);
	const scheduledCards = scheduled.map(card).sort(byTimeLeft);
	const all = [...waitingCards, ...scheduledCards];
	return {
		counts: {
			waiting: waitingCards.length,
			dueToday: all.filter((c) => c.sla?.level === 'due_today').length,
			overdue: all.filter((c) => c.sla?.overdue).length
		},
		waiting: waitingCards,
		scheduled: scheduledCards,
		toProcess: toProcess.map(card)
	};
}
