import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { requestEmailLink, signInWithPassword } from '$lib/server/auth/sign-in';
import { authAction } from '$lib/server/http/auth-actions';
import { safeRedirectTarget } from '$lib/server/http/redirect';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = ({ locals, url }) => {
	const target = safeRedirectTarget(url.searchParams.get('weiter'));
	if (locals.actor.userId) redirect(303, target === '/' ? '/konto' : target);
	const title = translate(locals.locale, 'auth.signIn.title');
	return {
		title,
		crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }],
		target,
		linkError: url.searchParams.has('fehler'),
		notice: url.searchParams.has('neu') ? 'auth.notice.passwordSet' : url.searchParams.has('abgemeldet') ? 'auth.notice.signedOutEverywhere' : null
	};
};

export const actions: Actions = {
	passwort: async (event) => {
		const data = await event.request.formData();
		const r = await authAction(data, () => signInWithPassword(event, getRequestEvent, Object.fromEntries(data)));
		if (!r.ok) return r.failure;
		redirect(303, safeRedirectTarget(data.get('weiter'), '/konto'));
	},
	link: async (event) => {
		const data = await event.request.formData();
		const target = safeRedirectTarget(data.get('weiter'), '/konto');
		const r = await authAction(data, () => requestEmailLink(event, getRequestEvent, Object.fromEntries(data), target));
		if (!r.ok) return r.failure;
		return { linkSent: true };
	}
};
