import { calendarDaySchema } from '$lib/domain/schemas';
import { localDate } from '$lib/domain/calendar';
import { adminAction } from '$lib/server/admin/action';
import { addCalendarDay, calendarPageData, editCalendarDay, parseYear, removeCalendarDay } from '$lib/server/admin/calendar';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import * as v from 'valibot';
import { dateField, E } from '$lib/domain/schema-fields';
import type { Actions, PageServerLoad } from './$types';

const deleteSchema = v.object({ id: dateField() }, E.required);

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const year = parseYear(event.url.searchParams.get('year'), localDate(new Date().toISOString()));
	return calendarPageData(await getDb(), year);
};

export const actions: Actions = {
	add: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'add', calendarDaySchema, async ({ db, input }) => {
			await addCalendarDay(db, actor, input);
			return 'admin_notice_day_added';
		});
	},
	update: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'update', calendarDaySchema, async ({ db, input, id }) => {
			await editCalendarDay(db, actor, id, input);
			return 'admin_notice_day_updated';
		});
	},
	delete: async (event) => {
		const actor = requireRole(event, 'admin');
		return adminAction(event, actor, 'delete', deleteSchema, async ({ db, input }) => {
			await removeCalendarDay(db, actor, input.id);
			return 'admin_notice_day_deleted';
		});
	}
};
