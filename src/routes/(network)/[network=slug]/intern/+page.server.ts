// Overview of the working area: the network's bodies, the member's own first.
import type { PageServerLoad } from './$types';
import { networkOverview } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { network, myBodyIds } = await parent();
	const overview = await networkOverview(locals.actor, network.id);
	const crumbs = internCrumbs(locals.locale, network);
	return {
		overview,
		myBodies: overview.bodies.filter((b) => myBodyIds.includes(b.id)),
		canCreateBody: canNetwork(locals.actor, 'network.editProfile', { networkId: network.id }),
		title: translate(locals.locale, 'dir.crumb.workingArea', { name: network.name }),
		crumbs: crumbs.map((c, i) => (i === crumbs.length - 1 ? { label: c.label } : c))
	};
};
