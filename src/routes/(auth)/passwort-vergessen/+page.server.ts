import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { requestPasswordReset } from '$lib/server/auth/sign-in';
import { authAction } from '$lib/server/http/auth-actions';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = ({ locals }) => {
	const title = translate(locals.locale, 'auth.forgot.title');
	return {
		title,
		crumbs: [
			{ label: translate(locals.locale, 'shell.home'), href: '/' },
			{ label: translate(locals.locale, 'auth.signIn.title'), href: '/anmelden' },
			{ label: title }
		]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const r = await authAction(data, () => requestPasswordReset(event, getRequestEvent, Object.fromEntries(data)));
		if (!r.ok) return r.failure;
		return { sent: true };
	}
};
