// Working area: all bodies of the network, paginated, with search (?q=) and kind filter (?art=).
import type { PageServerLoad } from './$types';
import { listBodies } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	const kind = url.searchParams.get('art') ?? '';
	const bodies = await listBodies(locals.actor, network.id, { page: pageParam(url), q, kind });
	const title = translate(locals.locale, 'dir.bodies.title');
	return {
		bodies,
		filter: { q, kind },
		canCreateBody: canNetwork(locals.actor, 'network.editProfile', { networkId: network.id }),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
