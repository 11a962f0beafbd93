// Language switch that works without JavaScript: a form posts here, a cookie remembers the choice.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isLocale } from '$lib/i18n';
import { LOCALE_COOKIE } from '$lib/server/http/locale';
import { safeRedirectTarget } from '$lib/server/http/redirect';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const data = await request.formData();
		const locale = data.get('locale');
		if (isLocale(locale)) {
			cookies.set(LOCALE_COOKIE, locale, { path: '/', maxAge: 60 * 60 * 24 * 365, httpOnly: false, sameSite: 'lax' });
		}
		redirect(303, safeRedirectTarget(data.get('weiter')));
	}
};
