import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireRole } from '$lib/server/auth/guard';
import { config } from '$lib/server/config';
import { pageTileSource } from '$lib/server/map/page-source';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { optimiseDay } from '$lib/server/planning/dispatch';
import { loadDispatchDay, type DispatchDay } from '$lib/server/planning/dispatch-board';
import { DISPATCH_FORM_LIMITS, lockMap, optimiseSchema, parseStops, publishSchema } from '$lib/server/planning/dispatch-forms';
import { publishPlan } from '$lib/server/planning/publish';
import { withRoadGeometry } from '$lib/server/planning/road-travel';
import { dayParam } from '$lib/server/views/day';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'outlet_head');
	const day = await loadDispatchDay(await getDb(), user, dayParam(event.url.searchParams.get('date')));
	const { tileUrl, tileAttribution } = config();
	return {
		date: day.date,
		outlet: day.outlet,
		teams: day.teams,
		visits: day.visits,
		current: await withRoadGeometry(day.current, day.outletPosition, positionIn(day)),
		publishedAt: day.publishedAt,
		tileUrl,
		tileAttribution,
		tileSource: pageTileSource()
	};
};

/** Where a visit of the day is (the stops stay on the server; only road paths go to the map). */
const positionIn = (day: DispatchDay) => {
	const byId = new Map(day.stops.map((s) => [s.id, s.location]));
	return (visitId: string) => byId.get(visitId) ?? null;
};

export const actions: Actions = {
	optimise: async (event) => {
		const user = requireRole(event, 'outlet_head');
		const parsed = v.safeParse(optimiseSchema, await readForm(event.request, DISPATCH_FORM_LIMITS));
		if (!parsed.success) return fail(400, { action: 'optimise', error: 'err_bad_form' });
		const day = await loadDispatchDay(await getDb(), user, parsed.output.date);
		const locks = lockMap(parsed.output.lock);
		const current = new Map(day.visits.map((v) => [v.id, v.teamKey]));
		const plan = await withRoadGeometry(optimiseDay({ outlet: day.outletPosition, teams: day.teams, visits: day.stops, travel: day.travel }, locks, current), day.outletPosition, positionIn(day));
		return { action: 'optimise', date: day.date, plan, locks: Object.fromEntries(locks) };
	},
	publish: async (event) => {
		const user = requireRole(event, 'outlet_head');
		const parsed = v.safeParse(publishSchema, await readForm(event.request, DISPATCH_FORM_LIMITS));
		if (!parsed.success) return fail(400, { action: 'publish', error: 'err_bad_form' });
		const { date, stop } = parsed.output;
		const result = await publishPlan(await getDb(), user, date, parseStops(stop), m.plan_publish_reason());
		if (!result.ok) return fail(409, { action: 'publish', error: result.code, ref: 'ref' in result ? result.ref : '' });
		const query = new URLSearchParams({ date, stored: String(result.stored), reassigned: String(result.reassigned) });
		redirect(303, `/approvals/dispatch?${query}`);
	}
};
