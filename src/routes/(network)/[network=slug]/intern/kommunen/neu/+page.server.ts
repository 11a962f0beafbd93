// Coordinators add a body (town, municipality, Verbandsgemeinde, district) to the network.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createBody } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { network } = await parent();
	if (!canNetwork(locals.actor, 'network.editProfile', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const title = translate(locals.locale, 'dir.bodyNew.title');
	return {
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'dir.bodies.title'), href: `/${network.slug}/intern/kommunen` }, { label: title })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createBody(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/kommunen/${r.ags}?gespeichert=1`);
	}
};
