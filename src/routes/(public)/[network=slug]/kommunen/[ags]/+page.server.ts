// Public page of one municipality: facts, climate-work status, people with their function, its
// public measures and what happened lately, its citizens' ideas and pledges.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { getBodyByAgs, listPeople } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';
import { portalCounts, recentPublicUpdates } from '$lib/server/participation/portal';
import { pledgeTotals } from '$lib/server/participation/pledges';
import { bodyBalanceView } from '$lib/server/balance/service';
import { balanceChartData } from '$lib/components/balance/view';

const PUBLIC_FUNCTIONS = new Set(['klimaschutzmanager', 'buergermeister']);

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const body = await guard(event, () => getBodyByAgs(locals.actor, network.id, params.ags));
	cacheForVisitors(event);
	const [people, counts, updates, pledges, balanceView] = await Promise.all([
		listPeople(locals.actor, network.id, { bodyId: body.id, notEnded: true, pageSize: 100 }),
		portalCounts(network.id, body.id),
		recentPublicUpdates(network.id, { bodyId: body.id, limit: 5 }),
		pledgeTotals(network.id, { bodyId: body.id }),
		bodyBalanceView(locals.actor, network.id, body.id, { publicOnly: true })
	]);
	// Only what the town made public; shown when there is a public balance or target.
	const balance = balanceChartData(balanceView);
	return {
		network: { slug: network.slug, name: network.name },
		body,
		// The portal never shows contact details, whoever looks; the working area does. It names
		// only holders of public roles (managers, mayors); building-office and other staff are
		// listed in the working area only (privacy by default, GDPR Art. 25).
		people: people.items.filter((p) => PUBLIC_FUNCTIONS.has(p.function)).map((p) => ({
			id: p.id,
			name: p.name,
			function: p.function,
			functionNote: p.functionNote,
			tenureFrom: p.tenureFrom,
			tenureUntil: p.tenureUntil
		})),
		counts,
		updates,
		pledges: { pledges: pledges.pledges, tonnes: pledges.tonnes },
		balance: balance.years.length || balance.target ? balance : null,
		canEnter: canNetwork(locals.actor, 'network.enter', { networkId: network.id }),
		title: body.name,
		crumbs: publicCrumbs(locals.locale, network, { label: body.name })
	};
};
