import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { auth } from '$lib/server/auth';
import { deleteAccount, renameAccount } from '$lib/server/account/service';
import { act } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = ({ locals }) => {
	const a = locals.actor;
	if (!a.userId) redirect(303, '/anmelden?weiter=/konto');
	const title = translate(locals.locale, 'account.title');
	return {
		title,
		crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }],
		account: { name: a.name, email: a.email },
		memberships: a.memberships.map((m) => ({ slug: m.slug, name: m.networkName, role: m.role }))
	};
};

export const actions: Actions = {
	name: async (event) => {
		const data = await event.request.formData();
		return (await act(event, data, () => renameAccount(event.locals.actor, Object.fromEntries(data)))) ?? { saved: 'name' };
	},
	ueberallAbmelden: async ({ request, locals }) => {
		if (!locals.actor.userId) redirect(303, '/anmelden');
		await auth(getRequestEvent).api.revokeSessions({ headers: request.headers });
		redirect(303, '/anmelden?abgemeldet=1');
	},
	loeschen: async (event) => {
		const data = await event.request.formData();
		const r = await act(event, data, () => deleteAccount(event.locals.actor, Object.fromEntries(data)));
		if (r) return r;
		// better-auth prefixes its cookies with __Secure- on HTTPS.
		event.cookies
			.getAll()
			.filter((c) => /^(__Secure-)?klimanetz\./.test(c.name))
			.forEach((c) => event.cookies.delete(c.name, { path: '/' }));
		redirect(303, '/?konto=geloescht');
	}
};
