import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { acceptInvitation, findInvitation } from '$lib/server/network/invitations';
import { registerByInvitation } from '$lib/server/auth/register';
import { authAction } from '$lib/server/http/auth-actions';
import { act } from '$lib/server/http/route';
import { accountExists } from '$lib/server/account/service';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	// The token is a secret in the URL: keep it out of caches and other sites' referrers.
	// (Not no-referrer: Chromium then sends "Origin: null" and the form's CSRF check refuses it.)
	setHeaders({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' });
	const inv = await findInvitation(params.token);
	const title = translate(locals.locale, 'invitation.title');
	const base = { token: params.token, title, crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }] };
	if (!inv) return { ...base, state: 'unknown' as const, invitation: null };
	const actor = locals.actor;
	return {
		...base,
		state: inv.state,
		invitation: { email: inv.email, name: inv.name, role: inv.role, network: inv.network, expiresAt: inv.expiresAt },
		signedInAs: actor.userId ? actor.email : null,
		sameAccount: !!actor.userId && actor.email.toLowerCase() === inv.email.toLowerCase(),
		accountExists: inv.state === 'valid' && !actor.userId ? await accountExists(inv.email) : false
	};
};

export const actions: Actions = {
	annehmen: async (event) => {
		const data = await event.request.formData();
		const userId = event.locals.actor.userId;
		if (!userId) redirect(303, `/anmelden?weiter=/einladung/${event.params.token}`);
		const r = await act(event, data, () => acceptInvitation(event.params.token, userId));
		if (r && 'networkSlug' in r) redirect(303, `/${r.networkSlug}/intern`);
		return r;
	},
	registrieren: async (event) => {
		const data = await event.request.formData();
		const r = await authAction(data, () => registerByInvitation(event, getRequestEvent, event.params.token, Object.fromEntries(data)));
		if (!r.ok) return r.failure;
		redirect(303, `/${r.value.networkSlug}/intern`);
	}
};
