// The network's offers: filters in the URL (shareable), the towns' aggregates per offer, the
// "zur Diskussion" flag, export, and a GET form to compare two to four offers.
import type { PageServerLoad } from './$types';
import { listOffers, offerFilterFromUrl, offerFilterToQuery } from '$lib/server/offers/offers';
import { canOffer } from '$lib/server/offers/permissions';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = offerFilterFromUrl(url);
	const offers = await guard(event, () => listOffers(locals.actor, network.id, { ...filter, page: pageParam(url) }));
	clampPage(url, offers);
	const title = translate(locals.locale, 'offers.list.title');
	return {
		offers,
		filter,
		/** The filter as a query string, for export links that keep the view. */
		query: offerFilterToQuery(filter).toString(),
		canCreate: canOffer(locals.actor, 'offer.create', { networkId: network.id }),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
