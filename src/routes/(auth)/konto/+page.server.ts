import { isActionFailure, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { auth } from '$lib/server/auth';
import { deleteAccount, renameAccount } from '$lib/server/account/service';
import { act } from '$lib/server/http/route';
import { pageParam } from '$lib/server/paging';
import { giveConsent, myContributions, myProfile, updateProfile, withdrawConsent, CONSENT_TEXT } from '$lib/server/participation/profiles';
import { parseTarget, unfollow } from '$lib/server/participation/follows';
import { withdrawSupport } from '$lib/server/participation/supports';
import { translate } from '$lib/i18n';
import { consentReturn } from '$lib/server/http/redirect';

export const load: PageServerLoad = async ({ locals, url }) => {
	const a = locals.actor;
	// Signed out: sign in, then back here with the page to return to after consent.
	if (!a.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(url.pathname + url.search)}`);
	const title = translate(locals.locale, 'account.title');
	const [profile, contributions] = await Promise.all([
		myProfile(a),
		myContributions(a, { ideasPage: pageParam(url, 'ideen'), pledgesPage: pageParam(url, 'zusagen'), followsPage: pageParam(url, 'folgen'), supportsPage: pageParam(url, 'unterstuetzt') })
	]);
	return {
		title,
		crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }],
		account: { name: a.name, email: a.email },
		memberships: a.memberships.map((m) => ({ slug: m.slug, name: m.networkName, role: m.role })),
		profile,
		contributions,
		currentConsentText: CONSENT_TEXT,
		welcome: url.searchParams.has('willkommen'),
		// The page whose "give consent" hint led here; the consent form returns to it.
		weiter: consentReturn(url.searchParams.get('weiter'))
	};
};

export const actions: Actions = {
	name: async (event) => {
		const data = await event.request.formData();
		return (await act(event, data, () => renameAccount(event.locals.actor, Object.fromEntries(data)))) ?? { saved: 'name' };
	},
	profil: async (event) => {
		const data = await event.request.formData();
		return (await act(event, data, () => updateProfile(event.locals.actor, Object.fromEntries(data)))) ?? { saved: 'profil' };
	},
	einwilligen: async (event) => {
		const data = await event.request.formData();
		const r = await act(event, data, () => giveConsent(event.locals.actor, Object.fromEntries(data)));
		if (r) return r;
		const back = consentReturn(data.get('weiter'));
		if (back) redirect(303, back);
		return { saved: 'consentGiven' };
	},
	widerrufen: async (event) => {
		const data = await event.request.formData();
		return (await act(event, data, () => withdrawConsent(event.locals.actor))) ?? { saved: 'consentWithdrawn' };
	},
	entfolgen: async (event) => {
		const data = await event.request.formData();
		// The network id is not needed to stop following: unfollow matches the actor's own row.
		return (await act(event, data, () => unfollow(event.locals.actor, parseTarget(data.get('type'), data.get('id'), '')))) ?? { saved: 'unfollowed' };
	},
	unterstuetzungZurueck: async (event) => {
		const data = await event.request.formData();
		const r = await act(event, data, () =>
			withdrawSupport(event.locals.actor, String(data.get('networkId') ?? ''), String(data.get('ideaId') ?? ''))
		);
		return isActionFailure(r) ? r : { saved: 'supportWithdrawn' };
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
