// The follow button's form action: follow or stop following, then back to the page it came from.
// A GET shows only a short page (the action's errors land there without JavaScript).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act } from '$lib/server/http/route';
import { failed, networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { follow, parseTarget, unfollow } from '$lib/server/participation/follows';
import { consentPath, safeNetworkPath } from '$lib/server/http/redirect';
import { limitPosting } from '$lib/server/participation/abuse';
import { participantState } from '$lib/server/participation/participant';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const network = await networkFromParams(event);
	const title = translate(event.locals.locale, 'citizen.follow.pageTitle');
	return {
		network: { slug: network.slug, name: network.name },
		title,
		crumbs: publicCrumbs(event.locals.locale, network, { label: title })
	};
};

export const actions: Actions = {
	toggle: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const back = safeNetworkPath(data.get('back'), network.slug);
		// Without an account or consent the button shows a hint; a stale page posting anyway is sent
		// where that can be fixed, then back here.
		const state = await participantState(event.locals.actor);
		if (state === 'signed_out') redirect(303, `/anmelden?weiter=${encodeURIComponent(back)}`);
		if (state !== 'ok' && data.get('want') !== 'unfollow') redirect(303, consentPath(back));
		const r = await act(event, data, async () => {
			const target = parseTarget(data.get('type'), data.get('id'), network.id);
			if (data.get('want') === 'unfollow') return unfollow(event.locals.actor, target);
			await limitPosting('follow', { userId: event.locals.actor.userId, ip: event.getClientAddress() });
			return follow(event.locals.actor, target);
		});
		if (failed(r)) return r;
		redirect(303, back);
	}
};
