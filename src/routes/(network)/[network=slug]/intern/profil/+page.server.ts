// Coordinators edit the network's profile (name, region, description) shown on the public page.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { updateNetworkProfile } from '$lib/server/network/networks';
import { canNetwork } from '$lib/server/network/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	if (!canNetwork(locals.actor, 'network.editProfile', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const full = await networkFromParams(event);
	const title = translate(locals.locale, 'dir.profile.title');
	return {
		profile: { name: full.name, region: full.region, description: full.description },
		saved: url.searchParams.has('gespeichert'),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateNetworkProfile(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/profil?gespeichert=1`);
	}
};
