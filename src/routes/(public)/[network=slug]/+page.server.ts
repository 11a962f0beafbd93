// Public portal of a network: who takes part and how far their climate work is. No account needed.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { listPartners, networkOverview } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const [overview, partners] = await Promise.all([
		networkOverview(locals.actor, network.id),
		listPartners(locals.actor, network.id, { pageSize: 1 })
	]);
	return {
		network: { slug: network.slug, name: network.name, region: network.region, description: network.description, isDemo: network.isDemo },
		overview,
		partnerCount: partners.total,
		canEnter: canNetwork(locals.actor, 'network.enter', { networkId: network.id }),
		title: network.name,
		crumbs: publicCrumbs(locals.locale, network)
	};
};
