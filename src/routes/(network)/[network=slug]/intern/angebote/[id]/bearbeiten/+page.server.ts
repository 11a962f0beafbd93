// Edit an offer (coordinators, or the member who entered it); version-checked against concurrent edits.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { offerFormValues, updateOffer } from '$lib/server/offers/offers';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const { offer, values, themes } = await guard(event, () => offerFormValues(locals.actor, network.id, params.id));
	const base = `/${network.slug}/intern/angebote`;
	return {
		offer: { id: offer.id, title: offer.title },
		values,
		themes,
		title: translate(locals.locale, 'offers.edit.title', { title: offer.title }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'offers.list.title'), href: base },
			{ label: offer.title, href: `${base}/${offer.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateOffer(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/angebote/${r.id}?ok=saved`);
	}
};
