// Public list of the network's partner organisations.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { listPartners } from '$lib/server/network/directory';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';
import { cacheForVisitors, pageParam, publicCrumbs } from '$lib/server/network/directory-pages';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const partners = await listPartners(locals.actor, network.id, { page: pageParam(url) });
	const title = translate(locals.locale, 'dir.partners.heading');
	return {
		network: { slug: network.slug, name: network.name },
		partners,
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};
