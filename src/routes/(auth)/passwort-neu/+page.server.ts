import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { resetPassword } from '$lib/server/auth/sign-in';
import { authAction } from '$lib/server/http/auth-actions';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = ({ locals, url }) => {
	const title = translate(locals.locale, 'auth.reset.title');
	const token = url.searchParams.get('token') ?? '';
	return {
		title,
		crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }],
		token: /^[A-Za-z0-9_-]{1,200}$/.test(token) ? token : '',
		invalid: url.searchParams.get('error') === 'INVALID_TOKEN' || !token
	};
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const token = String(data.get('token') ?? '');
		const r = await authAction(data, () => resetPassword(getRequestEvent, token, Object.fromEntries(data)));
		if (!r.ok) return r.failure;
		redirect(303, '/anmelden?neu=1');
	}
};
