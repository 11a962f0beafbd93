// Enter a new offer (coordinators and members).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createOffer } from '$lib/server/offers/offers';
import { canOffer } from '$lib/server/offers/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { network } = await parent();
	if (!canOffer(locals.actor, 'offer.create', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const title = translate(locals.locale, 'offers.new.title');
	return {
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'offers.list.title'), href: `/${network.slug}/intern/angebote` }, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createOffer(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/angebote/${r.id}?ok=created`);
	}
};
