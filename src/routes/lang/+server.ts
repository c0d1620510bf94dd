import { redirect, type RequestHandler } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime.js';
import { readForm } from '$lib/server/http/form';
import { safeNext } from '$lib/domain/safe-next';

/** Language switch that works without JavaScript: sets the locale cookie and goes back. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await readForm(request);
	const locale = typeof form.locale === 'string' ? form.locale : '';
	if (isLocale(locale)) {
		cookies.set('doorstep_lang', locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 60 * 60 * 24 * 400 });
	}
	// Only same-site paths (domain/safe-next.ts): never redirect to another origin.
	redirect(303, safeNext(form.next) ?? '/');
};
