import { redirect, type RequestHandler } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime.js';

/** Language switch that works without JavaScript: sets the locale cookie and goes back. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const next = String(form.get('next') ?? '/');
	if (isLocale(locale)) {
		cookies.set('doorstep_lang', locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 60 * 60 * 24 * 400 });
	}
	// Only same-site paths: never redirect to another origin.
	redirect(303, next.startsWith('/') && !next.startsWith('//') ? next : '/');
};
