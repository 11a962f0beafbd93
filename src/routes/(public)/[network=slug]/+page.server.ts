// Public portal of a network: who takes part, how far their climate work is, what happened lately,
// what citizens contributed. No account needed; the same page for everybody.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { listPartners, networkOverview } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { portalCounts, recentPublicUpdates } from '$lib/server/participation/portal';
import { pledgeTotals } from '$lib/server/participation/pledges';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';
import { publicBalanceSummary } from './balance.server';

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const [overview, partners, counts, updates, pledges, balances] = await Promise.all([
		networkOverview(locals.actor, network.id),
		listPartners(locals.actor, network.id, { pageSize: 1 }),
		portalCounts(network.id),
		recentPublicUpdates(network.id, { limit: 5 }),
		pledgeTotals(network.id),
		publicBalanceSummary(locals.actor, network.id, network.slug)
	]);
	return {
		network: { slug: network.slug, name: network.name, region: network.region, description: network.description, isDemo: network.isDemo },
		overview,
		partnerCount: partners.total,
		counts,
		updates,
		pledges: { pledges: pledges.pledges, tonnes: pledges.tonnes },
		balances,
		canEnter: canNetwork(locals.actor, 'network.enter', { networkId: network.id }),
		title: network.name,
		crumbs: publicCrumbs(locals.locale, network)
	};
};
